import * as tf from '@tensorflow/tfjs-core';

/** Each row of `x` scaled to unit length (cosine similarities are then dot products). */
export function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)));
}
