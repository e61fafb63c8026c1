import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp } from '../op.js';
import { probability } from '../params.js';

/** 1 − x: the photographic negative. */
export function invertImages(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => tf.sub(1, images));
}

export const invert = defineOp({
  name: 'invert',
  description: 'Invert pixel values (1 - x), each image with probability p',
  params: z.strictObject({ p: probability(1) }),
  draw: () => null,
  magnitude: () => null,
  kernel: (images) => invertImages(images),
});
