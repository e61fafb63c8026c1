import * as tf from '@tensorflow/tfjs-core';
import { rowCrossEntropy } from './row-cross-entropy.js';

export interface ConsistencyTerms {
  /** Mean over the unlabelled rows of mask · CE(pseudo-label of the weak view, strong-view logits). */
  readonly loss: tf.Scalar;
  /** Fraction of unlabelled rows whose weak-view confidence reached the threshold. */
  readonly maskRate: tf.Scalar;
}

/**
 * FixMatch's unlabelled term (Sohn et al. 2020): the weak view's arg-max is the pseudo-label of an
 * image when its softmax probability is at least `threshold`; the strong view of the same image is
 * trained towards it. The pseudo-label and the mask come from arg-max and comparison, which carry
 * no gradient, so the weak view is not pushed towards its own prediction.
 */
export function consistencyLoss(weakLogits: tf.Tensor2D, strongLogits: tf.Tensor2D, threshold: number): ConsistencyTerms {
  return tf.tidy(() => {
    const numClasses = weakLogits.shape[1];
    const probs = tf.softmax(weakLogits);
    const mask = tf.cast(tf.greaterEqual(tf.max(probs, -1), threshold), 'float32');
    const pseudo = tf.cast(tf.oneHot(tf.argMax(weakLogits, -1) as tf.Tensor1D, numClasses), 'float32') as tf.Tensor2D;
    const loss = tf.mean(tf.mul(rowCrossEntropy(strongLogits, pseudo), mask)) as tf.Scalar;
    return { loss, maskRate: tf.mean(mask) as tf.Scalar };
  });
}
