import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp } from '../op.js';
import { probability } from '../params.js';
import { luma } from '../tensor/colour.js';

/** Replaces each pixel by its luma (ITU-R 601-2), keeping the channel count. */
export function grayscaleImages(images: tf.Tensor4D): tf.Tensor4D {
  const channels = images.shape[3];
  return tf.tidy(() => tf.tile(luma(images), [1, 1, 1, channels]) as tf.Tensor4D);
}

export const grayscale = defineOp({
  name: 'grayscale',
  description: 'Turn images grey (ITU-R 601-2 luma), keeping the channel count, each with probability p',
  params: z.strictObject({ p: probability(1) }),
  draw: () => null,
  kernel: (images) => grayscaleImages(images),
});
