import * as tf from '@tensorflow/tfjs-core';
import { unitRows } from './unit-rows.js';

/**
 * DoubleMatch's self-supervised term (Wallin et al. 2022): minus the mean cosine similarity between
 * each strong view's projected features and its weak view's features, taken before the gradient tape
 * (so they are a fixed target). It reaches every unlabelled image, those below the confidence
 * threshold too.
 */
export function featureConsistencyLoss(projected: tf.Tensor2D, weakFeatures: tf.Tensor2D): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(unitRows(projected), unitRows(weakFeatures)), -1))) as tf.Scalar);
}
