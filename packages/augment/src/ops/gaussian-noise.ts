import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp, spreadValues } from '../op.js';
import { probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { clip01, perSample } from '../tensor/per-sample.js';

/** Adds zero-mean Gaussian noise with a standard deviation per image; `seed` fixes the noise. */
export function gaussianNoiseImages(images: tf.Tensor4D, std: ArrayLike<number>, seed: number): tf.Tensor4D {
  return tf.tidy(() => clip01(tf.add(images, tf.mul(tf.randomNormal(images.shape, 0, 1, 'float32', seed), perSample(std)))));
}

export const gaussianNoise = defineOp({
  name: 'gaussian-noise',
  description: 'Add Gaussian pixel noise with a standard deviation drawn from std (values stay in [0, 1])',
  params: z.strictObject({ std: range({ default: [0, 0.05], min: 0, max: 1 }), p: probability(1) }),
  draw: (params, rng, n) => ({ std: drawUniform(rng, n, params.std), seed: rng.seedInt() }),
  spread: (args, chosen, n) => ({ std: spreadValues(0)(args.std, chosen, n), seed: args.seed }),
  kernel: (images, args) => gaussianNoiseImages(images, args.std, args.seed),
});
