import * as tf from '@tensorflow/tfjs-core';
import { rowCrossEntropy } from './row-cross-entropy.js';

export interface FixMatchTargets {
  /** One-hot rows of the weak view's arg-max where its probability reached the threshold; zero rows elsewhere. */
  readonly targets: tf.Tensor2D;
  /** Fraction of rows whose weak-view confidence reached the threshold. */
  readonly maskRate: tf.Scalar;
}

/**
 * FixMatch's pseudo-labels (Sohn et al. 2020): the weak view's arg-max is an image's pseudo-label
 * when its softmax probability is at least `threshold` (one number, or one per class, applied to the
 * predicted class). A masked-out image gets a row of zeros, so its cross-entropy is 0. Arg-max and
 * comparison carry no gradient.
 */
export function fixMatchTargets(weakLogits: tf.Tensor2D, threshold: number | readonly number[]): FixMatchTargets {
  return tf.tidy(() => {
    const numClasses = weakLogits.shape[1];
    const predicted = tf.argMax(weakLogits, -1) as tf.Tensor1D;
    const bar = typeof threshold === 'number' ? threshold : tf.gather(tf.tensor1d([...threshold]), predicted);
    const mask = tf.cast(tf.greaterEqual(tf.max(tf.softmax(weakLogits), -1), bar), 'float32');
    const oneHot = tf.cast(tf.oneHot(predicted, numClasses), 'float32');
    return { targets: tf.mul(oneHot, tf.expandDims(mask, 1)) as tf.Tensor2D, maskRate: tf.mean(mask) as tf.Scalar };
  });
}

export interface ConsistencyTerms extends FixMatchTargets {
  /** Mean over the unlabelled rows of mask · CE(pseudo-label of the weak view, strong-view logits). */
  readonly loss: tf.Scalar;
}

/** FixMatch's unlabelled term: the strong view trained towards the weak view's confident pseudo-labels. */
export function consistencyLoss(weakLogits: tf.Tensor2D, strongLogits: tf.Tensor2D, threshold: number | readonly number[]): ConsistencyTerms {
  return tf.tidy(() => {
    const { targets, maskRate } = fixMatchTargets(weakLogits, threshold);
    return { targets, maskRate, loss: tf.mean(rowCrossEntropy(strongLogits, targets)) as tf.Scalar };
  });
}
