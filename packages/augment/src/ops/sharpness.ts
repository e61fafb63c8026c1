import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { enhanceFactors } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { blend } from '../tensor/colour.js';

/** PIL's SMOOTH filter, the degenerate image of `ImageEnhance.Sharpness`. */
const SMOOTH = [1, 1, 1, 1, 5, 1, 1, 1, 1].map((v) => v / 13);

/** Each image smoothed with PIL's 3×3 SMOOTH kernel, border pixels kept as they are. */
export function smoothImages(images: tf.Tensor4D): tf.Tensor4D {
  const [, height, width, channels] = images.shape;
  return tf.tidy(() => {
    const kernel = tf.tile(tf.tensor4d(SMOOTH, [3, 3, 1, 1]), [1, 1, channels, 1]) as tf.Tensor4D;
    const smooth = tf.depthwiseConv2d(images, kernel, 1, 'same');
    const interior = new Float32Array(height * width);
    for (let y = 1; y < height - 1; y++) for (let x = 1; x < width - 1; x++) interior[y * width + x] = 1;
    const mask = tf.tensor4d(interior, [1, height, width, 1]);
    return tf.add(images, tf.mul(mask, tf.sub(smooth, images))) as tf.Tensor4D;
  });
}

/** PIL's `ImageEnhance.Sharpness`: 0 = smoothed, 1 = unchanged, 2 = sharpened. */
export function sharpnessImages(images: tf.Tensor4D, factors: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => blend(smoothImages(images), images, factors));
}

export const sharpness = defineOp({
  name: 'sharpness',
  description: 'Sharpen (factor > 1) or soften (< 1) each image (PIL ImageEnhance.Sharpness)',
  params: z.strictObject({ factor: range({ default: [0.1, 1.9], min: 0, max: 10 }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng, options) => enhanceFactors(levels, rng, options.increasing),
  spread: spreadValues(1),
  kernel: (images, factors) => sharpnessImages(images, factors),
});
