import * as tf from '@tensorflow/tfjs-core';
import { createFrugal, type Augmentation, type Frugal, Rng } from '@frugal/core';
import { augment } from './plugin.js';

// Tests run on the pure-JS cpu backend (augmentation ops are cheap there), set as core's tests set it.
export { useCpu } from '@frugal/core/testing';

/** A Frugal instance with this plugin loaded. */
export function frugalWithAugment(seed = 1): Frugal {
  return createFrugal({ plugins: [augment()], seed });
}

/** `n` random images in [0, 1]. */
export function randomImages(n: number, height = 8, width = 8, channels = 3, seed = 7): tf.Tensor4D {
  return tf.randomUniform([n, height, width, channels], 0, 1, 'float32', seed) as tf.Tensor4D;
}

/** The same random image `n` times: differences between outputs come from per-sample parameters. */
export function sameImages(n: number, height = 8, width = 8, channels = 3, seed = 7): tf.Tensor4D {
  return tf.tidy(() => tf.tile(randomImages(1, height, width, channels, seed), [n, 1, 1, 1]) as tf.Tensor4D);
}

/** Values of a tensor (then disposes it). */
export function take(t: tf.Tensor): Float32Array {
  const v = t.dataSync() as Float32Array;
  t.dispose();
  return Float32Array.from(v);
}

/** Applies an augmentation with a fresh RNG and returns the values; input and output disposed. */
export function run(aug: Augmentation, images: tf.Tensor4D, seed: number | string = 3): { values: Float32Array; shape: number[] } {
  const out = aug.apply(images, new Rng(seed));
  const shape = out.shape.slice();
  images.dispose();
  return { values: take(out), shape };
}

/** Largest absolute difference. */
export function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** Per-sample slices of a flat NHWC array. */
export function samples(values: Float32Array, n: number): Float32Array[] {
  const size = values.length / n;
  return Array.from({ length: n }, (_, i) => values.subarray(i * size, (i + 1) * size));
}

/** How many distinct samples (up to `tolerance`). */
export function distinctSamples(values: Float32Array, n: number, tolerance = 1e-6): number {
  const rows = samples(values, n);
  const distinct: Float32Array[] = [];
  for (const row of rows) if (!distinct.some((d) => maxDiff(d, row) <= tolerance)) distinct.push(row);
  return distinct.length;
}

/** Live tensors after running `fn` and disposing what it returns, minus before. */
export function leakedBy(fn: () => tf.Tensor | tf.Tensor[]): number {
  const before = tf.memory().numTensors;
  const out = fn();
  tf.dispose(out);
  return tf.memory().numTensors - before;
}
