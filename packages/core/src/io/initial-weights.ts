import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FrugalInputError } from '../errors.js';
import { fileHandler } from './file-handler.js';

/** A saved model's weights by name, to start a new model from (`model.init` in a recipe). */
export interface InitialWeights {
  /** The saved model directory they were read from. */
  readonly path: string;
  /** The recipe field that named it, for error messages (`model.init` by default). */
  readonly field: string;
  readonly tensors: tf.NamedTensorMap;
  dispose(): void;
}

/** The saved model directory `path` (given by the recipe field `field`) names: the folder itself, or a run directory's `model/`. */
export function savedModelDir(path: string, field = 'model.init'): string {
  const dir = resolve(path);
  if (existsSync(join(dir, 'model.json'))) return dir;
  if (existsSync(join(dir, 'model', 'model.json'))) return join(dir, 'model');
  throw new FrugalInputError(
    `${field}: no saved model at "${path}" (no model.json there or in its model/ folder). ` +
      'Give a run directory or the folder holding model.json and weights.bin',
  );
}

/** Reads the weights of the saved model at `path` (a run directory or its `model/`), named by the recipe field `field`. */
export async function loadInitialWeights(path: string, field = 'model.init'): Promise<InitialWeights> {
  const dir = savedModelDir(path, field);
  const artifacts = await fileHandler(dir).load?.();
  if (!artifacts?.weightSpecs || !artifacts.weightData) throw new FrugalInputError(`${field}: the saved model at "${dir}" holds no weights`);
  const tensors = tf.io.decodeWeights(artifacts.weightData, artifacts.weightSpecs);
  return { path: dir, field, tensors, dispose: () => tf.dispose(Object.values(tensors)) };
}

/** What `applyInitialWeights` did: the weights it copied and those left as initialised (another shape, or absent). */
export interface InitialWeightsReport {
  readonly copied: number;
  readonly fresh: readonly string[];
}

/**
 * Starts `model` from `init`: every weight whose shape the saved model's weight of the same name
 * shares is copied (the same position, for layers left to automatic names, when both models have
 * as many weights); the others (a head for another class count, layers the saved model lacks) keep
 * their initialisation. Fails when nothing matches: the saved model is another architecture.
 */
export function applyInitialWeights(model: LayersModel, init: InitialWeights, modelName: string): InitialWeightsReport {
  const fresh: string[] = [];
  const inOrder = Object.values(init.tensors);
  const samePositions = inOrder.length === model.weights.length;
  let copied = 0;
  for (const [i, variable] of model.weights.entries()) {
    const saved = init.tensors[variable.originalName] ?? (samePositions ? inOrder[i] : undefined);
    if (saved && saved.shape.join(',') === variable.shape.join(',')) {
      variable.write(saved);
      copied++;
    } else {
      fresh.push(variable.originalName);
    }
  }
  if (copied === 0) {
    throw new FrugalInputError(
      `${init.field}: the saved model at "${init.path}" shares no weight (name and shape) with model "${modelName}"; ` +
        'give a model of the same architecture (e.g. an earlier run of this recipe)',
    );
  }
  return { copied, fresh };
}
