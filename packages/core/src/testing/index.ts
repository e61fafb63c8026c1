// Helpers for testing strategies and plugins (`@frugal/core/testing`): a synthetic dataset that a
// tiny network learns in a few steps, that network, a plugin registering both, a hand-built
// strategy context and a live-tensor counter. Tests run on the pure-JS cpu backend.
import {
  Rng,
  SeededDropout,
  seededInitializers,
  type Augmentation,
  type Frugal,
  type FrugalPlugin,
  type ImageSet,
  type StrategyContext,
  type StrategyData,
  type TrainConfig,
  type TrainingCallback,
  type RegistryEntry,
  type DatasetFactory,
} from '../index.js';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { z } from 'zod';

/** Tests run on the pure-JS backend. */
export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

/**
 * A synthetic 3-class image set (8×8×1): class k has a bright k-th third of the image (vertical
 * bands), plus noise. `horizontal` puts the bands in rows instead: a related but different task.
 */
export function stripes(count: number, seed = 1, horizontal = false, size = 8): ImageSet {
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = i % 3;
    labels[i] = y;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const band = Math.floor(((horizontal ? r : c) * 3) / size);
        const base = band === y ? 200 : 40;
        pixels[i * size * size + r * size + c] = Math.max(0, Math.min(255, Math.round(base + rng.normal(0, 20))));
      }
    }
  }
  return { shape: [size, size, 1], pixels, labels, classNames: ['first', 'second', 'third'] };
}

type Sym = tfl.SymbolicTensor;

/**
 * A tiny conv net in two stages (`stage1_*`, `stage2_*`: conv + BatchNorm + ReLU each) with
 * `features` (`4 × width` wide) and `head` layers, as registry models are built.
 */
export function tinyStagedNet(numClasses: number, inputShape: [number, number, number], rng: Rng, width = 4, dropout = 0): tfl.LayersModel {
  const init = seededInitializers(rng);
  const input = tfl.input({ shape: inputShape });
  let x: Sym = input;
  for (const stage of [1, 2]) {
    x = tfl.layers.conv2d({ name: `stage${stage}_conv`, filters: width, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.heNormal() }).apply(x) as Sym;
    x = tfl.layers.batchNormalization({ name: `stage${stage}_bn` }).apply(x) as Sym;
    x = tfl.layers.reLU({ name: `stage${stage}_relu` }).apply(x) as Sym;
  }
  // pooled to 2×2 (not global): the class is where the band lies
  x = tfl.layers.averagePooling2d({ name: 'pool', poolSize: inputShape[0] / 2 }).apply(x) as Sym;
  x = tfl.layers.flatten({ name: 'features' }).apply(x) as Sym;
  if (dropout > 0) x = new SeededDropout({ rate: dropout, seed: rng.seedInt(), name: 'dropout' }).apply(x) as Sym;
  const logits = tfl.layers.dense({ units: numClasses, name: 'head', kernelInitializer: init.glorotUniform() }).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: logits });
}

/** The synthetic stripes as a dataset entry (`count` training and `testCount` test images). */
function stripesDataset(): RegistryEntry<DatasetFactory> {
  return {
    name: 'stripes',
    description: 'synthetic 3-class stripes',
    params: z.strictObject({
      count: z.number().int().min(3).default(60),
      testCount: z.number().int().min(3).default(30),
      horizontal: z.boolean().default(false),
      size: z.number().int().min(3).default(8),
    }),
    factory: async (p: { count: number; testCount: number; horizontal: boolean; size: number }) => {
      const train = stripes(p.count, 1, p.horizontal, p.size);
      return {
        name: 'stripes',
        train,
        test: stripes(p.testCount, 2, p.horizontal, p.size),
        classNames: train.classNames,
        normalization: { mean: [0.5], std: [0.25] },
      };
    },
  };
}

/** The tiny two-stage model and the stripes datasets as a plugin, for recipe tests. */
export function tinyPlugin(): FrugalPlugin {
  return {
    name: '@frugal/test-tiny',
    register(r) {
      r.model({
        name: 'tiny-staged',
        description: 'a tiny two-stage conv net',
        params: z.strictObject({ width: z.number().int().min(1).default(4), dropout: z.number().min(0).max(0.9).default(0) }),
        factory: (p, ctx) => ({ model: tinyStagedNet(p.numClasses, p.inputShape, ctx.rng, p.width, p.dropout), featureDim: 4 * p.width }),
      });
      r.dataset(stripesDataset());
    },
  };
}

/** A tiny conv net (one conv + BatchNorm + ReLU, global pooling, optional dropout) with `features` and `head` layers. */
export function tinyConvNet(numClasses: number, inputShape: [number, number, number], rng: Rng, dropout = 0): tfl.LayersModel {
  const init = seededInitializers(rng);
  const input = tfl.input({ shape: inputShape });
  let x = tfl.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.heNormal() }).apply(input) as Sym;
  x = tfl.layers.batchNormalization().apply(x) as Sym;
  x = tfl.layers.reLU().apply(x) as Sym;
  x = tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as Sym;
  if (dropout > 0) x = new SeededDropout({ rate: dropout, seed: rng.seedInt() }).apply(x) as Sym;
  const logits = tfl.layers.dense({ units: numClasses, name: 'head', kernelInitializer: init.glorotUniform() }).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: logits });
}

/** The one-stage `tiny-cnn` and the stripes datasets as a plugin: the training loop's and recipes' tests. */
export function tinyCnnPlugin(): FrugalPlugin {
  return {
    name: '@frugal/test-tiny-cnn',
    register(r) {
      r.model({
        name: 'tiny-cnn',
        description: 'a tiny conv net',
        params: z.strictObject({ dropout: z.number().min(0).max(0.9).default(0) }),
        factory: (p, ctx) => ({ model: tinyConvNet(p.numClasses, p.inputShape, ctx.rng, p.dropout), featureDim: 4 }),
      });
      r.dataset(stripesDataset());
    },
  };
}

/** Every weight of a model (BatchNorm statistics included) as plain arrays. */
export function weightValues(weights: readonly { read(): tf.Tensor }[]): number[][] {
  return weights.map((w) => Array.from(w.read().dataSync()));
}

/** A strategy context built by hand (what `runRecipe` builds from a recipe). */
export function strategyContext(
  frugal: Frugal,
  data: Partial<StrategyData> & { labelled: ImageSet },
  train: TrainConfig,
  extra: Partial<StrategyContext> = {},
): StrategyContext {
  return {
    frugal,
    rng: frugal.rng.child('run'),
    data: { classNames: data.labelled.classNames, normalization: { mean: [0.5], std: [0.25] }, ...data },
    model: { name: 'tiny-staged', params: {} },
    train,
    augment: [],
    callbacks: [],
    log: () => undefined,
    ...extra,
  };
}

/** Adds seeded noise: an augmentation whose output changes every step. */
export const noise: Augmentation = {
  name: 'noise',
  apply: (images, rng) => tf.tidy(() => tf.clipByValue(tf.add(images, tf.randomNormal(images.shape, 0, 0.05, 'float32', rng.seedInt())), 0, 1) as tf.Tensor4D),
};

/** A callback recording the live tensor count after every step. */
export function tensorCounter(): { callback: TrainingCallback; counts: number[] } {
  const counts: number[] = [];
  return { counts, callback: { name: 'tensor-count', onStepEnd: () => void counts.push(tf.memory().numTensors) } };
}

export { fuzzParameters, resultOrInputError } from './fuzz.js';
export { memoryCheckpointStore } from './memory-checkpoint-store.js';
export { streamedImages } from './streamed-images.js';
export type { StreamLog } from './streamed-images.js';
