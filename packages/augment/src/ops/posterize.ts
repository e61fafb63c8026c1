import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { LEVEL_DENOMINATOR } from '../magnitude.js';
import { defineOp } from '../op.js';
import { probability, range } from '../params.js';
import { drawInt } from '../sample.js';
import { perSample } from '../tensor/per-sample.js';

/**
 * Keeps the `bits` most significant bits of each 8-bit pixel value (PIL's `posterize`), one bit
 * count per image; 8 bits or more leave the image unchanged.
 */
export function posterizeImages(images: tf.Tensor4D, bits: ArrayLike<number>): tf.Tensor4D {
  const steps = Array.from(bits, (b) => 2 ** (8 - Math.max(0, Math.min(8, Math.round(b)))));
  const keep = Array.from(bits, (b) => (b >= 8 ? 1 : 0));
  return tf.tidy(() => {
    const step = perSample(steps);
    const levels = tf.round(tf.mul(images, 255));
    const posterized = tf.div(tf.mul(tf.floor(tf.div(levels, step)), step), 255);
    return tf.where(tf.cast(perSample(keep), 'bool'), images, posterized) as tf.Tensor4D;
  });
}

/** timm: level → ⌊level/10 · 4⌋ bits kept; the increasing variant keeps 4 − that. */
export function posterizeBits(levels: Float32Array, increasing = false): Float32Array {
  return levels.map((level) => {
    const bits = Math.floor((level / LEVEL_DENOMINATOR) * 4);
    return increasing ? 4 - bits : bits;
  });
}

export const posterize = defineOp({
  name: 'posterize',
  description: 'Keep only the top bits (drawn from bits, 0-8) of each 8-bit pixel value',
  params: z.strictObject({ bits: range({ default: [4, 8], min: 0, max: 8, int: true }), p: probability(1) }),
  draw: (params, rng, n) => Float32Array.from(drawInt(rng, n, params.bits[0], params.bits[1])),
  magnitude: (_params, levels, _rng, options) => posterizeBits(levels, options.increasing),
  kernel: (images, bits) => posterizeImages(images, bits),
});
