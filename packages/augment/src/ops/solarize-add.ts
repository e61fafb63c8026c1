import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { LEVEL_DENOMINATOR } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { clip01, perSample } from '../tensor/per-sample.js';

/**
 * Adds each image's `amount` to its pixels below `threshold`, clipped to 1 (timm's SolarizeAdd;
 * the default threshold 0.5 is timm's 128 on the 8-bit grid).
 */
export function solarizeAddImages(images: tf.Tensor4D, amounts: ArrayLike<number>, threshold: number): tf.Tensor4D {
  return tf.tidy(() => tf.where(tf.less(images, threshold), clip01(tf.add(images, perSample(amounts))), images) as tf.Tensor4D);
}

/** timm: level → min(128, ⌊level/10 · 110⌋) pixel levels added below 128. */
export function solarizeAddAmounts(levels: Float32Array): Float32Array {
  return levels.map((level) => Math.min(128, Math.floor((level / LEVEL_DENOMINATOR) * 110)) / 255);
}

export const solarizeAdd = defineOp({
  name: 'solarize-add',
  description: 'Brighten pixels below threshold by an amount drawn from add (timm SolarizeAdd)',
  params: z.strictObject({
    add: range({ default: [0, 110 / 255], min: 0, max: 1 }),
    threshold: z.number().min(0).max(1.01).default(0.5),
    p: probability(1),
  }),
  draw: (params, rng, n) => drawUniform(rng, n, params.add),
  magnitude: (_params, levels) => solarizeAddAmounts(levels),
  spread: spreadValues(0),
  kernel: (images, amounts, params) => solarizeAddImages(images, amounts, params.threshold),
});
