import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { LEVEL_DENOMINATOR } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { perSample } from '../tensor/per-sample.js';

/** Inverts the pixels at or above each image's threshold (in [0, 1]; above 1 changes nothing). */
export function solarizeImages(images: tf.Tensor4D, thresholds: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => {
    // The thresholds spread to the batch's shape first: wasm compares a broadcast operand element by
    // element in a slow path (8 ms for 48 images of 28 × 28 against 0.4 ms for equal shapes).
    const cut = tf.broadcastTo(perSample(thresholds), images.shape);
    return tf.where(tf.greaterEqual(images, cut), tf.sub(1, images), images) as tf.Tensor4D;
  });
}

/**
 * A threshold given on the 0–256 pixel scale (as PIL and timm state it) on our [0, 1] scale:
 * pixel values v ≥ t (v = 0..255) invert, so the cut sits half a level below t.
 */
export function pixelThreshold(threshold: number): number {
  return (threshold - 0.5) / 255;
}

/** timm: level → threshold min(256, ⌊level/10 · 256⌋); increasing variant 256 − that. */
export function solarizeThresholds(levels: Float32Array, increasing = false): Float32Array {
  return levels.map((level) => {
    const t = Math.min(256, Math.floor((level / LEVEL_DENOMINATOR) * 256));
    return pixelThreshold(increasing ? 256 - t : t);
  });
}

export const solarize = defineOp({
  name: 'solarize',
  description: 'Invert pixels at or above a threshold drawn from threshold (RandAugment: timm levels)',
  params: z.strictObject({ threshold: range({ default: [0.5, 0.5], min: 0, max: 1.01 }), p: probability(1) }),
  draw: (params, rng, n) => drawUniform(rng, n, params.threshold),
  magnitude: (_params, levels, _rng, options) => solarizeThresholds(levels, options.increasing),
  spread: spreadValues(2),
  kernel: (images, thresholds) => solarizeImages(images, thresholds),
});
