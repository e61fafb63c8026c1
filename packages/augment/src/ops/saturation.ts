import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { enhanceFactors } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { blend, luma } from '../tensor/colour.js';

/** Blends each image with its grey version (PIL's `ImageEnhance.Color`): 0 = grey, 1 = unchanged. */
export function saturationImages(images: tf.Tensor4D, factors: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => blend(luma(images), images, factors));
}

export const saturation = defineOp({
  name: 'saturation',
  description: 'Scale colour saturation by a factor drawn from factor (timm/PIL "Color")',
  params: z.strictObject({ factor: range({ default: [0.6, 1.4], min: 0, max: 10 }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng, options) => enhanceFactors(levels, rng, options.increasing),
  spread: spreadValues(1),
  kernel: (images, factors) => saturationImages(images, factors),
});
