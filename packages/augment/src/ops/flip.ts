import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp } from '../op.js';
import { probability } from '../params.js';

export type FlipAxis = 'horizontal' | 'vertical';

/** Mirrors every image of the batch: left–right (`horizontal`) or top–bottom (`vertical`). */
export function flipImages(images: tf.Tensor4D, axis: FlipAxis = 'horizontal'): tf.Tensor4D {
  return tf.reverse(images, axis === 'horizontal' ? 2 : 1);
}

export const flipParams = z.strictObject({
  axis: z.enum(['horizontal', 'vertical']).default('horizontal'),
  p: probability(0.5),
});

export const flip = defineOp({
  name: 'flip',
  description: 'Mirror images left-right (or top-bottom with axis: vertical), each with probability p',
  params: flipParams,
  draw: () => null,
  kernel: (images, _args, params) => flipImages(images, params.axis),
});
