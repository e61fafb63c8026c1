import * as tf from '@tensorflow/tfjs-core';
import { unitRows } from './unit-rows.js';

/**
 * NT-Xent (SimCLR's normalised temperature-scaled cross-entropy) of `z`: rows i and i + n are the
 * two views of one image. Each row's cosine similarities to the other 2n − 1 rows, divided by
 * `temperature`, are a softmax whose target is its pair; the loss is the mean cross-entropy.
 */
export function ntXent(z: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const rows = z.shape[0];
    if (rows % 2 !== 0 || rows < 4) throw new Error(`ntXent needs two views of at least 2 images (an even row count ≥ 4), got ${rows} rows`);
    const n = rows / 2;
    const unit = unitRows(z);
    const similarity = tf.div(tf.matMul(unit, unit, false, true), temperature);
    // A row is never its own candidate.
    const logits = tf.sub(similarity, tf.mul(tf.eye(rows), 1e9));
    const pair = tf.tensor1d(Array.from({ length: rows }, (_, i) => (i < n ? i + n : i - n)), 'int32');
    const targets = tf.oneHot(pair, rows);
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
}
