import * as tf from '@tensorflow/tfjs-core';

/** Mean over the batch of -Σ target · log softmax(logits): cross-entropy with hard or soft targets. */
export function softCrossEntropy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), -1))) as tf.Scalar);
}

/** Fraction of rows whose arg-max logit is the arg-max target. */
export function batchAccuracy(logits: tf.Tensor2D, targets: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), tf.argMax(targets, -1)), 'float32')) as tf.Scalar);
}
