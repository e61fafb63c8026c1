import * as tf from '@tensorflow/tfjs-core';

/** Each row scaled to unit length (rows of zeros stay zeros). */
export function unitRows(x: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.add(tf.norm(x, 'euclidean', 1, true), 1e-12)));
}
