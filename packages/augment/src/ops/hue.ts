import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { clip01, perSample } from '../tensor/per-sample.js';

function fract(x: tf.Tensor): tf.Tensor {
  return tf.sub(x, tf.floor(x));
}

/**
 * Rotates the hue of each RGB image by its own shift, in turns of the colour wheel (0.5 = opposite
 * colour), through HSV as torchvision's `adjust_hue` does. Images with other than 3 channels are
 * returned unchanged.
 */
export function hueImages(images: tf.Tensor4D, shifts: ArrayLike<number>): tf.Tensor4D {
  if (images.shape[3] !== 3) return images.clone();
  return tf.tidy(() => {
    const [r, g, b] = tf.split(images, 3, 3) as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
    const max = tf.maximum(tf.maximum(r, g), b);
    const min = tf.minimum(tf.minimum(r, g), b);
    const delta = tf.sub(max, min);
    const safeDelta = tf.where(tf.greater(delta, 0), delta, tf.onesLike(delta));
    const saturation = tf.where(tf.greater(max, 0), tf.div(delta, tf.where(tf.greater(max, 0), max, tf.onesLike(max))), tf.zerosLike(max));
    const hueR = tf.div(tf.sub(g, b), safeDelta);
    const hueG = tf.add(tf.div(tf.sub(b, r), safeDelta), 2);
    const hueB = tf.add(tf.div(tf.sub(r, g), safeDelta), 4);
    const sector = tf.where(tf.equal(max, r), hueR, tf.where(tf.equal(max, g), hueG, hueB));
    const hue = fract(tf.add(tf.div(sector, 6), perSample(shifts)));
    // HSV -> RGB: channel_n = v - v·s·clip(min(k, 4 - k), 0, 1), k = (n + 6h) mod 6, n = 5, 3, 1.
    const channel = (n: number) => {
      const k = tf.mod(tf.add(tf.mul(hue, 6), n), 6);
      const weight = tf.clipByValue(tf.minimum(k, tf.sub(4, k)), 0, 1);
      return tf.sub(max, tf.mul(tf.mul(max, saturation), weight));
    };
    return clip01(tf.concat([channel(5), channel(3), channel(1)], 3)) as tf.Tensor4D;
  });
}

export const hue = defineOp({
  name: 'hue',
  description: 'Rotate the hue of each image by a shift drawn from shift, in turns (0.5 = opposite colour)',
  params: z.strictObject({ shift: range({ default: [-0.1, 0.1], min: -0.5, max: 0.5, symmetric: true }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.shift),
  spread: spreadValues(0),
  kernel: (images, shifts) => hueImages(images, shifts),
});
