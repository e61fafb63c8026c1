import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { enhanceFactors } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { blend, luma } from '../tensor/colour.js';

/** Blends each image with its mean grey level (PIL's `ImageEnhance.Contrast`). */
export function contrastImages(images: tf.Tensor4D, factors: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => blend(tf.mean(luma(images), [1, 2, 3], true), images, factors));
}

export const contrast = defineOp({
  name: 'contrast',
  description: 'Move pixels away from (factor > 1) or toward (< 1) the mean grey level of the image',
  params: z.strictObject({ factor: range({ default: [0.6, 1.4], min: 0, max: 10 }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng, options) => enhanceFactors(levels, rng, options.increasing),
  spread: spreadValues(1),
  kernel: (images, factors) => contrastImages(images, factors),
});
