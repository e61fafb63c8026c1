import {
  FrugalInputError,
  loadSavedModel,
  loadLatestCheckpoint,
  readModelCard,
  restoreWeights,
  startFrom,
  type BuiltModel,
  type Frugal,
  type ImageDecoding,
  type InitialWeights,
  type ModelCatalog,
  type ModelCard,
  type ModelSpec,
  type Normalization,
  type PretrainedConfig,
  type StartingNetwork,
  releaseModel,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

const modelSpecSchema = z.strictObject({
  name: z.string().min(1),
  params: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Where a pretrained network comes from:
 * - `saved-model`: a saved model directory (`model.json` + `weights.bin`, e.g. a run's `model/`);
 * - `checkpoint`: a training checkpoint (a run directory, its `checkpoints/`, or one checkpoint
 *   folder) of a registry model, rebuilt from `model` with `numClasses` outputs;
 * - `registry`: a registry model built fresh, with whatever weights its parameters import
 *   (e.g. `{ name: 'resnet18', params: { weights: 'resnet18.safetensors' } }`).
 */
export const modelSourceSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('saved-model'), path: z.string().min(1) }),
  z.strictObject({
    type: z.literal('checkpoint'),
    path: z.string().min(1),
    /** The class count the checkpointed network was trained for. */
    numClasses: z.number().int().min(1),
    /** The registry model the checkpoint holds; default: the recipe's model. */
    model: modelSpecSchema.optional(),
    /** Take the weight average (EMA) when the checkpoint has one, as the run's final model did. */
    ema: z.boolean().default(true),
  }),
  z.strictObject({ type: z.literal('registry'), model: modelSpecSchema.optional() }),
]);

/** The network a source names, whose normalisation `data.normalization: pretrained` takes. */
export function startingNetwork(source: ModelSource): StartingNetwork {
  if (source.type === 'saved-model') return { savedModel: source.path, field: 'strategy.params.source.path' };
  if (source.type === 'registry') return source.model ? { model: source.model } : {};
  const run = checkpointRunDir(source.path);
  if (run) return { savedModel: run, field: 'strategy.params.source.path' };
  return { unknown: `the checkpoint source ${source.path} keeps no normalisation (no model card in its run directory)` };
}

export type ModelSourceInput = z.input<typeof modelSourceSchema>;
export type ModelSource = z.output<typeof modelSourceSchema>;

/** A pretrained network ready to be reused. */
export interface LoadedModel {
  /** The whole network as it was trained (images -> logits). */
  readonly model: LayersModel;
  /** What the model was built as, when it came from the registry. */
  readonly built?: BuiltModel;
  /** The input normalisation the network was trained with, when known. */
  readonly normalization?: Normalization;
  /** How its training images were fitted to its input size, when its card says. */
  readonly decode?: ImageDecoding;
  readonly classNames?: readonly string[];
  readonly pretrained?: PretrainedConfig;
  /** Whether its weights came from the recipe's `model.init`. */
  readonly initialised?: boolean;
  /** One line naming the source, for logs and reports. */
  readonly description: string;
}

export interface LoadContext {
  readonly frugal: Frugal;
  /** Where models are built (a run's models, seeded by its recipe); default: `frugal.models`. */
  readonly models?: ModelCatalog;
  /** The model the recipe names (default for `checkpoint` and `registry` sources). */
  readonly model: ModelSpec;
  /** Class count and input shape of the data at hand (for `registry` sources). */
  readonly numClasses: number;
  readonly inputShape: readonly [number, number, number];
  /** The recipe's `model.init` weights, which a `registry` source of the recipe's model starts from. */
  readonly init?: InitialWeights;
}

async function readCard(dir: string): Promise<ModelCard | undefined> {
  if (!existsSync(join(dir, 'frugal.json'))) return undefined;
  return readModelCard(dir);
}

async function savedModelSource(path: string): Promise<LoadedModel> {
  if (!existsSync(join(path, 'model.json'))) {
    const hint = existsSync(join(path, 'model', 'model.json')) ? ` It looks like a run directory: use "${join(path, 'model')}".` : '';
    throw new FrugalInputError(`No saved model at "${path}" (no model.json there).${hint} Give the folder holding model.json and weights.bin.`);
  }
  const model = await loadSavedModel(path);
  const card = await readCard(path);
  return {
    model,
    normalization: card?.normalization,
    ...(card?.decode ? { decode: card.decode } : {}),
    classNames: card?.classNames,
    description: `saved model ${path}${card ? ` (${card.model}, ${card.classNames.length} classes)` : ''}`,
  };
}

/** The folder that holds `latest.json`: the path itself, or its `checkpoints/` (a run directory). */
function checkpointDir(path: string): string | undefined {
  if (existsSync(join(path, 'latest.json'))) return path;
  if (existsSync(join(path, 'checkpoints', 'latest.json'))) return join(path, 'checkpoints');
  return undefined;
}

/**
 * The run directory of a checkpoint path (the path, or the folder above its checkpoint folder) when
 * it holds the run's saved model card, which says how its inputs were normalised.
 */
function checkpointRunDir(path: string): string | undefined {
  const dir = checkpointDir(path);
  return [path, ...(dir ? [join(dir, '..')] : [])].find((run) => existsSync(join(run, 'model', 'frugal.json')));
}

async function loadCheckpointModel(
  source: Extract<ModelSource, { type: 'checkpoint' }>,
  ctx: LoadContext,
): Promise<LoadedModel> {
  const dir = checkpointDir(source.path);
  if (!dir) {
    throw new FrugalInputError(
      `No checkpoint at "${source.path}" (no latest.json there or in its checkpoints/ folder). ` +
        `Give a run directory, its checkpoints/ folder, or a folder written by the training loop.`,
    );
  }
  const spec = source.model ?? ctx.model;
  const built = (ctx.models ?? ctx.frugal.models).create(spec.name, { ...spec.params, numClasses: source.numClasses, inputShape: [...ctx.inputShape] });
  const net = built.trainingModel ?? built.model;
  const found = await loadLatestCheckpoint(dir);
  if (!found) throw new FrugalInputError(`The checkpoint folder "${dir}" has no complete checkpoint`);
  const { weights, ema, optimizers } = found.tensors;
  try {
    restoreWeights(net, source.ema && ema ? ema : weights, `checkpoint ${found.path} (model "${spec.name}", ${source.numClasses} classes)`);
  } catch (error) {
    releaseModel(built);
    throw error;
  } finally {
    tf.dispose([...weights, ...(ema ?? [])]);
    optimizers.forEach((o) => tf.dispose(Object.values(o.tensors)));
  }
  const run = checkpointRunDir(source.path);
  const card = run ? await readCard(join(run, 'model')) : undefined;
  return {
    model: built.model,
    built,
    normalization: card?.normalization,
    ...(card?.decode ? { decode: card.decode } : {}),
    classNames: card?.classNames,
    description: `checkpoint ${found.path} of ${spec.name}` + (source.ema && ema ? ' (weight average)' : ''),
  };
}

function registryModel(source: Extract<ModelSource, { type: 'registry' }>, ctx: LoadContext): LoadedModel {
  const spec = source.model ?? ctx.model;
  const built = (ctx.models ?? ctx.frugal.models).create(spec.name, { ...spec.params, numClasses: ctx.numClasses, inputShape: [...ctx.inputShape] });
  // The recipe's model starts from model.init, as every strategy's does.
  const init = ctx.init && spec.name === ctx.model.name ? ctx.init : undefined;
  const weights = typeof spec.params.weights === 'string' ? ` with weights ${spec.params.weights}` : ' (randomly initialised)';
  const started = init ? ` started from ${init.path} (${startFrom(built, init, spec.name).copied} weights copied)` : weights;
  return {
    model: built.model,
    built,
    pretrained: spec.params.weights ? built.pretrained : undefined,
    ...(init ? { initialised: true } : {}),
    description: `registry model ${spec.name}${started}`,
  };
}

/** Loads (or builds) the network a source names. */
export async function loadModelSource(source: ModelSource, ctx: LoadContext): Promise<LoadedModel> {
  switch (source.type) {
    case 'saved-model':
      return savedModelSource(source.path);
    case 'checkpoint':
      return loadCheckpointModel(source, ctx);
    case 'registry':
      return registryModel(source, ctx);
  }
}

/** The `[height, width, channels]` a model takes. */
export function modelInputShape(model: LayersModel): number[] {
  const input = model.inputs[0];
  return (input?.shape ?? []).slice(1).map((d) => d ?? -1);
}

/** Fails with a clear message when the data's image shape is not what the model takes. */
export function checkInputShape(loaded: LoadedModel, shape: readonly number[], role: string): void {
  const expected = modelInputShape(loaded.model);
  const fits = expected.length === shape.length && expected.every((d, i) => d === -1 || d === shape[i]);
  if (!fits) {
    throw new FrugalInputError(
      `The ${role} (${loaded.description}) takes images of ${expected.join('×')}; the data's images are ${shape.join('×')}. ` +
        `Resize the data to ${expected.join('×')} (the dataset's size/color parameters) or use a ${role} built for ${shape.join('×')}.`,
    );
  }
}

/** A note when the data is normalised differently from how the source network was trained. */
export function normalizationNote(loaded: LoadedModel, data: Normalization, role: string): string | undefined {
  const expected = loaded.normalization ?? (loaded.pretrained ? { mean: loaded.pretrained.mean, std: loaded.pretrained.std } : undefined);
  if (!expected) return undefined;
  const same = (a: readonly number[], b: readonly number[]) =>
    a.length === b.length && a.every((v, i) => Math.abs(v - (b[i] as number)) < 1e-6);
  if (same(expected.mean, data.mean) && same(expected.std, data.std)) return undefined;
  const fmt = (n: Normalization) => `{ mean: [${n.mean.join(', ')}], std: [${n.std.join(', ')}] }`;
  return (
    `The ${role} was trained on inputs normalised with ${fmt(expected)}; this run normalises with ${fmt(data)}. ` +
    `Set the recipe's data.normalization to ${fmt(expected)} to feed it what it learned on.`
  );
}

/**
 * A note when the network's training images were fitted to its input otherwise than this run's
 * (stretched where this run crops, or cropped from another scale): it will see its inputs
 * differently from how it learned them.
 */
export function decodingNote(loaded: LoadedModel, data: ImageDecoding | undefined, role: string): string | undefined {
  const learned = loaded.decode;
  if (!learned || !data || (learned.resize === data.resize && learned.shorterSide === data.shorterSide)) return undefined;
  const fmt = (d: ImageDecoding) => `{ resize: ${d.resize}${d.shorterSide !== undefined ? `, shorterSide: ${d.shorterSide}` : ''} }`;
  return (
    `The ${role} was trained on images fitted to its input with ${fmt(learned)}; this run fits them with ${fmt(data)}. ` +
    `Set the recipe's data.params to ${fmt(learned)} to feed it images as it learned them.`
  );
}
