import {
  Rng,
  SeededDropout,
  createFrugal,
  seededInitializers,
  stepSeed,
  trainConfig,
  type Frugal,
  type FrugalPlugin,
  type ImageSet,
  type Logs,
  type StrategyContext,
  type TrainingCallback,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { useBackend } from '@frugal/runtime-gpu';
import { z } from 'zod';
import { semiSupervised } from '../plugin.js';

/**
 * The fastest backend present, as `frugal` takes it (native where oneDNN is, else wasm): what the
 * tests check holds on any backend, and the pure-JavaScript cpu backend took seven times as long.
 */
export async function useTestBackend(): Promise<void> {
  await useBackend('auto');
}

/**
 * A synthetic 3-class image set (8×8×1 by default) that a global-average-pooled conv net can tell
 * apart: vertical stripes, horizontal stripes, or a checkerboard, with pixel noise.
 * `hideLabels` gives the images label -1 (an unlabelled set).
 */
export function patterns(count: number, seed = 1, options: { hideLabels?: boolean; size?: number } = {}): ImageSet {
  const size = options.size ?? 8;
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const y = i % 3;
    labels[i] = options.hideLabels ? -1 : y;
    const phase = rng.int(0, 2);
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const on = (y === 0 ? c : y === 1 ? r : r + c) % 2 === phase;
        const base = on ? 190 : 60;
        pixels[i * size * size + r * size + c] = Math.max(0, Math.min(255, Math.round(base + rng.normal(0, 30))));
      }
    }
  }
  return { shape: [size, size, 1], pixels, labels, classNames: ['vertical', 'horizontal', 'checker'] };
}

/** Stochastic depth for the tiny net: zeroes a sample's residual branch with probability `rate`. */
class TinyDropPath extends tfl.layers.Layer {
  static readonly className = 'TestTinyDropPath';
  private step = 0;
  constructor(
    private readonly rate: number,
    private readonly seed: number,
  ) {
    super({});
  }
  setStep(step: number): void {
    this.step = step;
  }
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (!kwargs.training || this.rate === 0) return x.clone();
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const mask = tf.floor(tf.randomUniform([x.shape[0] as number, 1, 1, 1], keep, 1 + keep, 'float32', stepSeed(this.seed, this.step)));
      return tf.mul(x, tf.div(mask, keep));
    });
  }
}

/**
 * A tiny residual conv net with BatchNorm, optional dropout and stochastic depth, `features` and
 * `head` layers; every layer named unless `named: false`.
 */
export function tinyResNet(
  numClasses: number,
  inputShape: [number, number, number],
  rng: Rng,
  options: { dropout?: number; stochasticDepthRate?: number; width?: number; named?: boolean } = {},
): tfl.LayersModel {
  const init = seededInitializers(rng);
  const width = options.width ?? 4;
  const n = (name: string) => (options.named === false ? {} : { name });
  const input = tfl.input({ shape: inputShape });
  const conv = (x: tfl.SymbolicTensor, name: string) =>
    tfl.layers
      .conv2d({ ...n(name), filters: width, kernelSize: 3, padding: 'same', useBias: false, kernelInitializer: init.heNormal() })
      .apply(x) as tfl.SymbolicTensor;
  // Moving statistics that follow the few steps a test trains (tfjs's default momentum is 0.99).
  const bn = (x: tfl.SymbolicTensor, name: string) => tfl.layers.batchNormalization({ ...n(name), momentum: 0.5 }).apply(x) as tfl.SymbolicTensor;
  const relu = (x: tfl.SymbolicTensor, name: string) => tfl.layers.reLU(n(name)).apply(x) as tfl.SymbolicTensor;
  const stem = relu(bn(conv(input, 'stem_conv'), 'stem_bn'), 'stem_relu');
  let branch = bn(conv(stem, 'block_conv'), 'block_bn');
  if (options.stochasticDepthRate) branch = new TinyDropPath(options.stochasticDepthRate, rng.seedInt()).apply(branch) as tfl.SymbolicTensor;
  let x = relu(tfl.layers.add(n('block_add')).apply([stem, branch]) as tfl.SymbolicTensor, 'block_relu');
  x = tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as tfl.SymbolicTensor;
  if (options.dropout) x = new SeededDropout({ rate: options.dropout, seed: rng.seedInt() }).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: numClasses, name: 'head', kernelInitializer: init.glorotUniform() }).apply(x) as tfl.SymbolicTensor;
  return tfl.model({ inputs: input, outputs: logits });
}

/** Each row averaged with the row the same distance from the other end of the batch. */
function blendReversed<T extends tf.Tensor>(t: T): T {
  return tf.mul(tf.add(t, tf.reverse(t, 0)), 0.5) as T;
}

/** What the tiny model factory was asked for, in build order (to check the noise parameters). */
export type BuildLog = { model: string; params: Record<string, unknown> }[];

/**
 * Test plugin: models `tiny-a` (width 4), `tiny-b` (width 6) and `tiny-anon` (width 4, layers not
 * named), with `dropout` and `stochasticDepthRate`; `tiny-plain` (no noise parameters); a fake `rand-augment` (a per-image
 * brightness shift) and a fake MixUp (`blend`) standing in for @frugal/augment's; and the `patterns` dataset.
 */
export function testPlugin(builds: BuildLog = [], options: { randAugment?: boolean } = {}): FrugalPlugin {
  const noise = { dropout: z.number().min(0).lt(1).default(0), stochasticDepthRate: z.number().min(0).lt(1).default(0) };
  return {
    name: '@frugal/test-semi-supervised',
    register(r) {
      for (const [name, width, named] of [['tiny-a', 4, true], ['tiny-b', 6, true], ['tiny-anon', 4, false]] as const) {
        r.model({
          name,
          description: `a tiny residual conv net of width ${width}${named ? '' : ', layers not named'}`,
          params: z.strictObject(noise),
          factory: (p, ctx) => {
            builds.push({ model: name, params: { dropout: p.dropout, stochasticDepthRate: p.stochasticDepthRate } });
            return { model: tinyResNet(p.numClasses, p.inputShape, ctx.rng, { ...p, width, named }), featureDim: width };
          },
        });
      }
      r.model({
        name: 'tiny-plain',
        description: 'a tiny conv net without noise parameters',
        params: z.strictObject({}),
        factory: (p, ctx) => ({ model: tinyResNet(p.numClasses, p.inputShape, ctx.rng), featureDim: 4 }),
      });
      if (options.randAugment !== false) {
        r.augmentation({
          name: 'rand-augment',
          description: 'test stand-in: a random brightness shift per image',
          params: z.strictObject({ magnitude: z.number().min(0).max(1).default(0.1) }),
          factory: (p) => ({
            name: 'rand-augment',
            apply: (images, rng) =>
              tf.tidy(() => {
                const n = images.shape[0];
                const shifts = Float32Array.from({ length: n }, () => rng.uniform(-p.magnitude, p.magnitude));
                return tf.clipByValue(tf.add(images, tf.tensor4d(shifts, [n, 1, 1, 1])), 0, 1) as tf.Tensor4D;
              }),
          }),
        });
      }
      r.augmentation({
        name: 'blend',
        description: 'test stand-in for MixUp: each image and its target averaged with those of the batch in reverse order',
        params: z.strictObject({}),
        factory: () => ({
          name: 'blend',
          apply: (images) => tf.tidy(() => blendReversed(images)),
          applyBatch: (batch) => tf.tidy(() => ({ x: blendReversed(batch.x), y: blendReversed(batch.y) })),
        }),
      });
      r.dataset({
        name: 'patterns',
        description: 'synthetic 3-class stripe and checker patterns',
        params: z.strictObject({ count: z.number().int().min(3).default(90), testCount: z.number().int().min(3).default(30) }),
        factory: async (p) => {
          const train = patterns(p.count, 1);
          return { name: 'patterns', train, test: patterns(p.testCount, 2), classNames: train.classNames, normalization: { mean: [0.5], std: [0.25] } };
        },
      });
    },
  };
}

export function testFrugal(seed = 7, builds: BuildLog = [], options: { randAugment?: boolean } = {}): Frugal {
  return createFrugal({ plugins: [semiSupervised(), testPlugin(builds, options)], seed });
}

/** A strategy context built by hand: 4 labelled images per class, 60 unlabelled, 30 test. */
export function tinyContext(frugal: Frugal, overrides: Partial<StrategyContext> = {}): StrategyContext {
  return {
    frugal,
    rng: frugal.rng.child('run'),
    data: {
      labelled: patterns(12, 1),
      unlabelled: patterns(60, 3, { hideLabels: true }),
      test: patterns(30, 2),
      classNames: ['vertical', 'horizontal', 'checker'],
      normalization: { mean: [0.5], std: [0.25] },
    },
    model: { name: 'tiny-a', params: {} },
    train: trainConfig({ epochs: 3, batchSize: 4, optimizer: { lr: 0.1 } }),
    augment: [],
    callbacks: [],
    log: () => undefined,
    ...overrides,
  };
}

/**
 * Records `tf.memory().numTensors` after every step of every training loop; `flat()` says whether
 * each loop's count stayed the same from its first step on.
 */
export function tensorCounter(): TrainingCallback & { loops: number[][]; flat(): boolean } {
  const loops: number[][] = [];
  return {
    name: 'tensor-counter',
    loops,
    onTrainBegin() {
      loops.push([]);
    },
    onStepEnd(_state, _logs: Logs) {
      loops[loops.length - 1]?.push(tf.memory().numTensors);
    },
    flat() {
      return loops.every((counts) => counts.every((c) => c === counts[0]));
    },
  };
}

/** Aborts `controller` after `steps` training steps (summed over loops). */
export function abortAfter(controller: AbortController, steps: number): TrainingCallback {
  let seen = 0;
  return {
    name: 'abort-after',
    onStepEnd() {
      if (++seen === steps) controller.abort();
    },
  };
}
