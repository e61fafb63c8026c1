import * as tf from '@tensorflow/tfjs-core';

/** Per-row cross-entropy -Σ target · log softmax(logits), for hard or soft targets: `[n]`. */
export function rowCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1)) as tf.Tensor1D);
}

/** Rows `[start, start + count)` of a 2-D or 4-D tensor. */
export function rows<T extends tf.Tensor>(x: T, start: number, count: number): T {
  const begin = x.shape.map((_, i) => (i === 0 ? start : 0));
  const size = x.shape.map((d, i) => (i === 0 ? count : (d as number)));
  return tf.slice(x, begin, size) as T;
}
