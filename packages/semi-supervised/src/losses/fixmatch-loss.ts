import * as tf from '@tensorflow/tfjs-core';
import type { ConfidenceGate } from './confidence-gate.js';
import { rowCrossEntropy } from './row-cross-entropy.js';

export interface FixMatchTargets {
  /** One-hot rows of the weak view's arg-max, scaled by the image's weight from the gate (zero rows for images left out). */
  readonly targets: tf.Tensor2D;
  /** The images' mean weight: with a threshold, the fraction whose weak-view confidence reached it. */
  readonly maskRate: tf.Scalar;
}

/**
 * FixMatch's pseudo-labels (Sohn et al. 2020): the weak view's arg-max is an image's pseudo-label,
 * weighted by the gate from its softmax probability (with a threshold: kept when the probability
 * reaches it). An image left out gets a row of zeros, so its cross-entropy is 0. With a
 * `temperature`, the pseudo-label is the weak view's softmax sharpened by it instead of its arg-max
 * (UDA, Xie et al. 2020), so an image between two classes keeps some of both. The weights and
 * one-hot targets carry no gradient; soft ones would, so take them before the gradient tape opens
 * (as FixMatch's `prepare` step does).
 */
export function fixMatchTargets(weakLogits: tf.Tensor2D, gate: ConfidenceGate, temperature?: number): FixMatchTargets {
  return tf.tidy(() => {
    const numClasses = weakLogits.shape[1];
    const predicted = tf.argMax(weakLogits, -1) as tf.Tensor1D;
    const weights = gate.weights(tf.max(tf.softmax(weakLogits), -1) as tf.Tensor1D, predicted);
    const labels = temperature ? tf.softmax(tf.div(weakLogits, temperature)) : tf.cast(tf.oneHot(predicted, numClasses), 'float32');
    return { targets: tf.mul(labels, tf.expandDims(weights, 1)) as tf.Tensor2D, maskRate: tf.mean(weights) as tf.Scalar };
  });
}

export interface ConsistencyTerms extends FixMatchTargets {
  /** Mean over the unlabelled rows of weight · CE(pseudo-label of the weak view, strong-view logits). */
  readonly loss: tf.Scalar;
}

/** FixMatch's unlabelled term: the strong view trained towards the weak view's pseudo-labels, as the gate weighs them. */
export function consistencyLoss(weakLogits: tf.Tensor2D, strongLogits: tf.Tensor2D, gate: ConfidenceGate): ConsistencyTerms {
  return tf.tidy(() => {
    const { targets, maskRate } = fixMatchTargets(weakLogits, gate);
    return { targets, maskRate, loss: tf.mean(rowCrossEntropy(strongLogits, targets)) as tf.Scalar };
  });
}
