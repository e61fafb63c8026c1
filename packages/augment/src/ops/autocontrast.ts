import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp } from '../op.js';
import { probability } from '../params.js';

/** Stretches each channel of each image to span [0, 1] (PIL's `autocontrast` without cut-off). */
export function autocontrastImages(images: tf.Tensor4D): tf.Tensor4D {
  return tf.tidy(() => {
    const low = tf.min(images, [1, 2], true);
    const high = tf.max(images, [1, 2], true);
    const span = tf.sub(high, low);
    const flat = tf.lessEqual(span, 0);
    const scale = tf.where(flat, tf.onesLike(span), tf.div(1, tf.where(flat, tf.onesLike(span), span)));
    const offset = tf.where(flat, tf.zerosLike(low), low);
    return tf.clipByValue(tf.mul(tf.sub(images, offset), scale), 0, 1) as tf.Tensor4D;
  });
}

export const autocontrast = defineOp({
  name: 'autocontrast',
  description: 'Stretch each channel to the full [0, 1] range, each image with probability p',
  params: z.strictObject({ p: probability(1) }),
  draw: () => null,
  magnitude: () => null,
  kernel: (images) => autocontrastImages(images),
});
