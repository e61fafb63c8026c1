import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findModelDir, loadSavedModel, readModelCard, requireClassifier, type ModelCard } from '@frugal/core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { UsageError } from './usage-error.js';

/** The folder of the model `path` names: a run directory's `model/` (frugal train), or a model folder (frugal convert). */
export function modelDirOf(path: string): string {
  const dir = findModelDir(path);
  if (dir) return dir;
  const what = existsSync(path) ? `has no trained model (no frugal.json there or in ${join(path, 'model')})` : 'does not exist';
  throw new UsageError(`${path} ${what}; give a run directory written by frugal train or a model folder written by frugal convert`);
}

/**
 * The trained model of a run directory or model folder, and its card (classes, input shape,
 * normalization, decoding), both checked. A network trained on a pretext task is refused unless
 * `pretext` allows it: its outputs are not classes.
 */
export async function loadRunModel(path: string, { pretext = false } = {}): Promise<{ model: LayersModel; card: ModelCard }> {
  const dir = modelDirOf(path);
  const cardFile = join(dir, 'frugal.json');
  const card = await readModelCard(dir);
  if (!pretext) requireClassifier(card, path);
  const model = await loadSavedModel(dir);
  const [inputs, outputs] = [model.inputs[0]?.shape, model.outputs[0]?.shape];
  if (inputs?.slice(1).join(',') !== card.inputShape.join(',') || outputs?.[1] !== card.classNames.length) {
    model.dispose();
    throw new UsageError(
      `${cardFile} describes inputs [${card.inputShape}] and ${card.classNames.length} classes, but ${join(dir, 'model.json')} takes ` +
        `[${inputs?.slice(1)}] and gives ${outputs?.[1]} outputs; the model card belongs to another model. Train or convert it again`,
    );
  }
  return { model, card };
}
