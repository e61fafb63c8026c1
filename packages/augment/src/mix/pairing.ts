import type { Batch } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { perSample } from '../tensor/per-sample.js';

/**
 * How MixUp and CutMix pair samples: sample i is mixed with sample `partner[i]`, keeping the
 * weight `lambda[i]` of its own label.
 */
export interface Pairing {
  readonly partner: Int32Array;
  readonly lambda: Float32Array;
}

/** Soft targets `λ·y + (1 − λ)·y[partner]`: rows still sum to 1 when the input rows do. */
export function mixTargets(y: tf.Tensor2D, pairing: Pairing): tf.Tensor2D {
  return tf.tidy(() => {
    const lambda = tf.tensor2d(pairing.lambda, [pairing.lambda.length, 1]);
    return tf.add(tf.mul(lambda, y), tf.mul(tf.sub(1, lambda), tf.gather(y, pairing.partner))) as tf.Tensor2D;
  });
}

/** Pixel-wise mix `λ·x + (1 − λ)·x[partner]`. */
export function mixImages(x: tf.Tensor4D, pairing: Pairing): tf.Tensor4D {
  return tf.tidy(() => {
    const lambda = perSample(pairing.lambda);
    return tf.add(tf.mul(lambda, x), tf.mul(tf.sub(1, lambda), tf.gather(x, pairing.partner))) as tf.Tensor4D;
  });
}

/** Checks that a batch's targets fit its images. */
export function checkBatch(batch: Batch, op: string): void {
  if (batch.y.shape[0] !== batch.x.shape[0]) {
    throw new Error(`${op}: the batch has ${batch.x.shape[0]} images but ${batch.y.shape[0]} target rows`);
  }
}
