import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { enhanceFactors } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { clip01, perSample } from '../tensor/per-sample.js';

/** Multiplies each image by its own factor (PIL's `ImageEnhance.Brightness`), clipped to [0, 1]. */
export function brightnessImages(images: tf.Tensor4D, factors: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => clip01(tf.mul(images, perSample(factors))));
}

export const brightness = defineOp({
  name: 'brightness',
  description: 'Scale pixel values by a factor drawn from factor (1 = unchanged; RandAugment: enhance levels)',
  params: z.strictObject({ factor: range({ default: [0.6, 1.4], min: 0, max: 10 }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng, options) => enhanceFactors(levels, rng, options.increasing),
  spread: spreadValues(1),
  kernel: (images, factors) => brightnessImages(images, factors),
});
