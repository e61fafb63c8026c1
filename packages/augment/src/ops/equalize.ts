import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp } from '../op.js';
import { probability } from '../params.js';
import { onHostMemory } from '../tensor/rows.js';

/**
 * Histogram equalisation of each channel of each image, with PIL's `ImageOps.equalize` lookup
 * table: on the host where tensors live in this process's memory (cpu, wasm), else with tensor ops.
 * Both give the same values.
 */
export function equalizeImages(images: tf.Tensor4D): tf.Tensor4D {
  return onHostMemory() ? equalizeOnHost(images) : equalizeWithKernels(images);
}

/** tfjs's `round`: halves to the even neighbour. */
function roundHalfEven(x: number): number {
  const below = Math.floor(x);
  const rest = x - below;
  return rest < 0.5 ? below : rest > 0.5 ? below + 1 : below + (below % 2);
}

/**
 * The equalisation in one pass per image and channel: the 256-bin histogram of its 8-bit levels,
 * then PIL's table, with the float32 arithmetic of `equalizeWithKernels` (so the same values).
 */
export function equalizeOnHost(images: tf.Tensor4D): tf.Tensor4D {
  const [n, height, width, channels] = images.shape;
  const pixels = height * width;
  const source = images.dataSync() as Float32Array;
  const out = new Float32Array(source.length);
  const levels = new Uint8Array(pixels);
  const histogram = new Int32Array(256);
  const table = new Float32Array(256);
  for (let image = 0; image < n; image++) {
    for (let c = 0; c < channels; c++) {
      const first = image * pixels * channels + c;
      histogram.fill(0);
      for (let p = 0; p < pixels; p++) {
        const v = source[first + p * channels]!;
        const level = roundHalfEven(Math.fround((v > 1 ? 1 : v > 0 ? v : 0) * 255));
        levels[p] = level;
        histogram[level]!++;
      }
      let last = 255;
      while (histogram[last] === 0) last--;
      // PIL leaves the count of the highest level present out of the step.
      const step = Math.floor(Math.fround((pixels - histogram[last]!) / 255));
      const half = Math.floor(step / 2);
      for (let level = 0, below = 0; level < 256; below += histogram[level]!, level++) {
        table[level] = step > 0 ? Math.min(255, Math.floor(Math.fround((below + half) / step))) / 255 : level / 255;
      }
      for (let p = 0; p < pixels; p++) out[first + p * channels] = table[levels[p]!]!;
    }
  }
  return tf.tensor4d(out, [n, height, width, channels]);
}

/** The equalisation with tensor ops: a 256-bin histogram per image and channel, its running sum, then a gather. */
export function equalizeWithKernels(images: tf.Tensor4D): tf.Tensor4D {
  const [n, height, width, channels] = images.shape;
  const rows = n * channels;
  return tf.tidy(() => {
    const levels = tf.cast(tf.round(tf.mul(tf.clipByValue(images, 0, 1), 255)), 'int32');
    const perRow = tf.reshape(tf.transpose(levels, [0, 3, 1, 2]), [rows, height * width]) as tf.Tensor2D;
    const histogram = tf.denseBincount(perRow, tf.tensor1d([], 'float32') as unknown as tf.Tensor2D, 256) as tf.Tensor2D;
    const bins = tf.range(0, 256, 1, 'float32');
    // Count of the highest level present, which PIL leaves out of the step.
    const lastLevel = tf.max(tf.where(tf.greater(histogram, 0), tf.broadcastTo(bins, [rows, 256]), tf.fill([rows, 256], -1)), 1, true);
    const lastCount = tf.sum(tf.mul(histogram, tf.cast(tf.equal(bins, lastLevel), 'float32')), 1, true);
    const step = tf.floor(tf.div(tf.sub(height * width, lastCount), 255));
    const safeStep = tf.where(tf.greater(step, 0), step, tf.onesLike(step));
    const below = tf.cumsum(histogram, 1, true);
    const lut = tf.clipByValue(tf.floor(tf.div(tf.add(below, tf.floor(tf.div(safeStep, 2))), safeStep)), 0, 255);
    const table = tf.where(tf.broadcastTo(tf.greater(step, 0), [rows, 256]), lut, tf.broadcastTo(bins, [rows, 256]));
    const offsets = tf.tensor2d(Int32Array.from({ length: rows }, (_, r) => r * 256), [rows, 1], 'int32');
    const mapped = tf.gather(tf.reshape(table, [-1]), tf.add(perRow, offsets));
    const back = tf.transpose(tf.reshape(mapped, [n, channels, height, width]), [0, 2, 3, 1]);
    return tf.div(back, 255) as tf.Tensor4D;
  });
}

export const equalize = defineOp({
  name: 'equalize',
  description: 'Equalise the histogram of each channel (PIL ImageOps.equalize), each image with probability p',
  params: z.strictObject({ p: probability(1) }),
  draw: () => null,
  magnitude: () => null,
  kernel: (images) => equalizeImages(images),
});
