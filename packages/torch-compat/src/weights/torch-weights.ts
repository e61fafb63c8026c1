import { FrugalInputError, releaseModel } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Layer } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { LayerVariable } from '@tensorflow/tfjs-layers/dist/variables.js';
import { SafetensorsFile } from './safetensors.js';

/**
 * Import of PyTorch (torchvision, timm) state dicts into our TensorFlow.js models.
 *
 * Our layers are named after PyTorch's module paths with '.' replaced by '_' (`layer1.0.conv1` ->
 * `layer1_0_conv1`), except renamed modules such as the classifier (`fc` -> `head`). Layouts are
 * converted on the way: conv `[out, in, kh, kw]` -> `[kh, kw, in, out]` (a depthwise conv's
 * `[channels, 1, kh, kw]` -> `[kh, kw, channels, 1]`), linear `[out, in]` ->
 * `[in, out]` (with PyTorch's channel-first flatten order turned into NHWC's when a linear layer
 * reads a flattened feature map), BatchNorm weight/bias/running stats -> gamma/beta/moving stats.
 */

export interface TorchMapping {
  /** Whole-module renames, PyTorch path -> our layer name: `{ fc: 'head' }`. */
  readonly renames?: Readonly<Record<string, string>>;
  /** Our layers whose output width is the class count; skipped when it differs from the file's. */
  readonly classifierLayers?: readonly string[];
  /**
   * Tensors the model may lack without error (e.g. the auxiliary classifiers of a model built
   * without them): returns the reason to report, or undefined.
   */
  readonly optional?: (tensorName: string) => string | undefined;
}

export const DEFAULT_RENAMES: Readonly<Record<string, string>> = { fc: 'head' };

export interface SkippedTensor {
  readonly name: string;
  readonly reason: string;
}

export interface WeightLoadReport {
  /** The file read. */
  readonly source: string;
  /** File tensors written into the model. */
  readonly loaded: readonly string[];
  /** File tensors not used, with why (class count differs, unused BatchNorm counter, ...). */
  readonly skipped: readonly SkippedTensor[];
  /** Model weights (`layer/weight`) the file did not provide; they keep their initial values. */
  readonly missing: readonly string[];
}

/** Our layer name for a PyTorch module path. */
export function torchModuleToLayer(module: string, renames: Readonly<Record<string, string>> = DEFAULT_RENAMES): string {
  for (const [from, to] of Object.entries(renames)) {
    if (module === from) return to;
    if (module.startsWith(`${from}.`)) return `${to}_${module.slice(from.length + 1).replace(/\./g, '_')}`;
  }
  return module.replace(/\./g, '_');
}

/** How one PyTorch parameter maps onto one of a layer's weights. */
interface Target {
  variable: LayerVariable;
  /** The file tensor in our layout. */
  convert(t: tf.Tensor): tf.Tensor;
  /** The file shape in our layout. */
  shape(fileShape: readonly number[]): number[];
}

function weightOf(layer: Layer, weight: string): LayerVariable | undefined {
  return layer.weights.find((w) => w.originalName.split('/').pop() === weight);
}

/** `[h, w, c]` when a Dense layer reads a flattened feature map larger than 1x1, else undefined. */
export function flattenedFrom(layer: Layer): [number, number, number] | undefined {
  const source = layer.inboundNodes[0]?.inboundLayers[0];
  if (!source || source.getClassName() !== 'Flatten') return undefined;
  const shapes = source.inboundNodes[0]?.inputShapes;
  const shape = (Array.isArray(shapes?.[0]) ? shapes[0] : shapes) as (number | null)[] | undefined;
  if (!shape || shape.length !== 4) return undefined;
  const [, h, w, c] = shape as [null, number, number, number];
  return h * w > 1 ? [h, w, c] : undefined;
}

function targetFor(layer: Layer, param: string): Target | undefined {
  const kind = layer.getClassName();
  const same: Pick<Target, 'convert' | 'shape'> = { convert: (t) => t, shape: (s) => [...s] };
  const pick = (weight: string, how: Pick<Target, 'convert' | 'shape'>): Target | undefined => {
    const variable = weightOf(layer, weight);
    return variable ? { variable, ...how } : undefined;
  };
  if (kind === 'Conv2D') {
    if (param === 'weight') {
      return pick('kernel', {
        convert: (t) => tf.transpose(t, [2, 3, 1, 0]),
        shape: (s) => (s.length === 4 ? [s[2], s[3], s[1], s[0]] : [...s]) as number[],
      });
    }
    if (param === 'bias') return pick('bias', same);
  }
  if (kind === 'DepthwiseConv2D' && param === 'weight') {
    // [channels, 1, kh, kw] -> [kh, kw, channels, 1]
    return pick('depthwise_kernel', {
      convert: (t) => tf.transpose(t, [2, 3, 0, 1]),
      shape: (s) => (s.length === 4 ? [s[2], s[3], s[0], s[1]] : [...s]) as number[],
    });
  }
  if (kind === 'Dense') {
    if (param === 'weight') {
      const grid = flattenedFrom(layer);
      if (grid) {
        const [h, w, c] = grid;
        return pick('kernel', {
          // [out, c*h*w] (channel-first flatten) -> [h*w*c, out] (channel-last flatten)
          convert: (t) => tf.reshape(tf.transpose(tf.reshape(t, [t.shape[0] as number, c, h, w]), [2, 3, 1, 0]), [h * w * c, t.shape[0] as number]),
          shape: (s) => (s.length === 2 ? [s[1], s[0]] : [...s]) as number[],
        });
      }
      return pick('kernel', {
        convert: (t) => tf.transpose(t),
        shape: (s) => (s.length === 2 ? [s[1], s[0]] : [...s]) as number[],
      });
    }
    if (param === 'bias') return pick('bias', same);
  }
  if (kind === 'BatchNormalization') {
    const names: Record<string, string> = {
      weight: 'gamma',
      bias: 'beta',
      running_mean: 'moving_mean',
      running_var: 'moving_variance',
    };
    const weight = names[param];
    if (weight) return pick(weight, same);
  }
  return undefined;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const fmt = (s: readonly number[]): string => `[${s.join(', ')}]`;

/**
 * Writes the tensors of a PyTorch state dict into `model` (all layers, training-only ones too).
 * A classifier whose class count differs is skipped (partial load for transfer); any other shape
 * mismatch is an error naming the tensor and both shapes. Returns what was loaded, skipped and
 * missing; `loadWeightsFile` adds the checks that make a wrong file an error.
 */
export function loadTorchWeights(model: LayersModel, file: SafetensorsFile, mapping: TorchMapping = {}): WeightLoadReport {
  const renames = mapping.renames ?? DEFAULT_RENAMES;
  const classifiers = new Set(mapping.classifierLayers ?? ['head']);
  const layers = new Map(model.layers.map((l) => [l.name, l]));
  const loaded: string[] = [];
  const skipped: SkippedTensor[] = [];
  const assigned = new Set<LayerVariable>();
  const writes: { name: string; variable: LayerVariable; target: Target }[] = [];

  for (const name of file.names()) {
    const dot = name.lastIndexOf('.');
    const module = dot < 0 ? '' : name.slice(0, dot);
    const param = name.slice(dot + 1);
    if (param === 'num_batches_tracked') {
      skipped.push({ name, reason: 'BatchNorm batch counter (TensorFlow.js has no equivalent)' });
      continue;
    }
    const layerName = torchModuleToLayer(module, renames);
    const layer = layers.get(layerName);
    const target = layer ? targetFor(layer, param) : undefined;
    if (!layer || !target) {
      const optional = mapping.optional?.(name);
      skipped.push({
        name,
        reason: optional ?? (layer ? `layer "${layerName}" (${layer.getClassName()}) has no weight for "${param}"` : `no layer "${layerName}" in the model`),
      });
      continue;
    }
    const fileShape = file.info(name).shape;
    const ours = target.shape(fileShape);
    const modelShape = target.variable.shape as number[];
    if (!sameShape(ours, modelShape)) {
      const lastDiffers = ours.length === modelShape.length && ours.slice(0, -1).every((v, i) => v === modelShape[i]);
      if (classifiers.has(layerName) && lastDiffers) {
        skipped.push({
          name,
          reason: `class count differs: the file has ${ours[ours.length - 1]} classes, the model ${modelShape[modelShape.length - 1]}`,
        });
        continue;
      }
      throw new FrugalInputError(
        `Tensor "${name}" in "${file.origin}" has shape ${fmt(fileShape)} (${fmt(ours)} in TensorFlow.js layout), ` +
          `but the model's weight "${target.variable.originalName}" has shape ${fmt(modelShape)}. ` +
          `The file was written for a different model variant, width or input channel count.`,
      );
    }
    if (assigned.has(target.variable)) {
      throw new FrugalInputError(`Tensors in "${file.origin}" map twice onto "${target.variable.originalName}" (last: "${name}")`);
    }
    assigned.add(target.variable);
    writes.push({ name, variable: target.variable, target });
  }

  for (const { name, variable, target } of writes) {
    const { shape, data } = file.read(name);
    const value = tf.tidy(() => target.convert(tf.tensor(data, [...shape], 'float32')));
    variable.write(value);
    value.dispose();
    loaded.push(name);
  }

  const missing: string[] = [];
  for (const layer of model.layers) {
    for (const w of layer.weights) if (!assigned.has(w)) missing.push(w.originalName);
  }
  return { source: file.origin, loaded, skipped, missing };
}

/** A few names and how many more. */
function someOf(names: readonly string[], n = 8): string {
  return names.length <= n ? names.join(', ') : `${names.slice(0, n).join(', ')} and ${names.length - n} more`;
}

/**
 * Loads a file into a built model and makes a wrong file an error: every weight of the inference
 * model must come from the file (except a classifier skipped for its class count), and every file
 * tensor must land somewhere (except BatchNorm counters and `mapping.optional` ones).
 */
export function checkWeightReport(report: WeightLoadReport, inference: LayersModel, mapping: TorchMapping = {}): void {
  const classifiers = new Set(mapping.classifierLayers ?? ['head']);
  const skippedClassifier = report.skipped.some((s) => s.reason.startsWith('class count differs'));
  const inferenceWeights = new Set(inference.layers.flatMap((l) => l.weights.map((w) => w.originalName)));
  const requiredMissing = report.missing.filter((w) => {
    if (!inferenceWeights.has(w)) return false;
    const layer = w.slice(0, w.lastIndexOf('/'));
    return !(skippedClassifier && classifiers.has(layer));
  });
  if (requiredMissing.length > 0) {
    throw new FrugalInputError(
      `Weights file "${report.source}" lacks ${requiredMissing.length} weights the model needs: ${someOf(requiredMissing)}. ` +
        `Is it for a different model variant?`,
    );
  }
  const unknown = report.skipped.filter((s) => s.reason.startsWith('no layer') || s.reason.startsWith('layer "'));
  if (unknown.length > 0) {
    throw new FrugalInputError(
      `Weights file "${report.source}" has ${unknown.length} tensors the model has no place for: ` +
        `${someOf(unknown.map((s) => s.name))}. Is it for a different model variant (e.g. resnet34 weights for resnet18)?`,
    );
  }
}

/** A one-paragraph summary of a load: counts, and the skipped and missing names. */
export function formatWeightReport(report: WeightLoadReport): string {
  const lines = [`Loaded ${report.loaded.length} tensors from "${report.source}".`];
  const notable = report.skipped.filter((s) => !s.reason.startsWith('BatchNorm batch counter'));
  if (notable.length > 0) lines.push(`Skipped ${notable.length}: ${notable.map((s) => `${s.name} (${s.reason})`).join('; ')}.`);
  if (report.missing.length > 0) lines.push(`Kept their initial values (${report.missing.length}): ${someOf(report.missing)}.`);
  return lines.join('\n');
}

/**
 * What a model factory's `weights` parameter does: reads the safetensors file, writes it into the
 * training model (which holds every layer) or the inference model, and checks the result.
 */
export function loadWeightsFile(
  built: { readonly model: LayersModel; readonly trainingModel?: LayersModel },
  file: string | SafetensorsFile,
  mapping: TorchMapping = {},
): WeightLoadReport {
  const source = typeof file === 'string' ? SafetensorsFile.read(file) : file;
  const report = loadTorchWeights(built.trainingModel ?? built.model, source, mapping);
  checkWeightReport(report, built.model, mapping);
  return report;
}

/**
 * A built model with the weights of `file` loaded and their report; without a file, the model as it
 * is. A load that fails disposes the model (both of its networks) before the error goes on.
 */
export function withWeights<B extends { readonly model: LayersModel; readonly trainingModel?: LayersModel }>(
  built: B,
  file: string | undefined,
  mapping: TorchMapping = {},
): B & { readonly weightsReport?: WeightLoadReport } {
  if (!file) return built;
  try {
    return { ...built, weightsReport: loadWeightsFile(built, file, mapping) };
  } catch (error) {
    releaseModel(built);
    throw error;
  }
}
