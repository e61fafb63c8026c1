import type { TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { SelfAdaptiveThreshold } from './self-adaptive-threshold.js';
import type { SoftThreshold } from './soft-threshold.js';

/**
 * How much each unlabelled image's pseudo-label counts, from its weak view's confidence: a weight
 * in [0, 1] per image (0 or 1 for a threshold, anything between for SoftMatch's soft one).
 */
export interface ConfidenceGate {
  /** The estimates that move with training, saved with checkpoints; absent for a fixed threshold. */
  readonly callback?: TrainingCallback;
  /** Folds a batch of weak-view probabilities `[n, C]` into the estimates; returns the threshold to log, where it moves. */
  update(probs: tf.Tensor2D): number | undefined;
  /** Each image's weight `[n]`, from its top probability and the class it predicts. */
  weights(confidence: tf.Tensor1D, predicted: tf.Tensor1D): tf.Tensor1D;
}

/** FixMatch's fixed τ: an image counts fully when its confidence reaches τ, not at all below. */
export function fixedGate(threshold: number): ConfidenceGate {
  return {
    update: () => undefined,
    weights: (confidence) => tf.tidy(() => tf.cast(tf.greaterEqual(confidence, threshold), 'float32') as tf.Tensor1D),
  };
}

/** FreeMatch's self-adaptive thresholds, one per class: the predicted class's threshold is the bar. */
export function selfAdaptiveGate(adaptive: SelfAdaptiveThreshold): ConfidenceGate {
  return {
    callback: adaptive,
    update: (probs) => {
      adaptive.update(probs);
      const bars = adaptive.thresholds();
      return bars.reduce((a, b) => a + b, 0) / bars.length;
    },
    weights: (confidence, predicted) =>
      tf.tidy(() => tf.cast(tf.greaterEqual(confidence, tf.gather(tf.tensor1d(adaptive.thresholds()), predicted)), 'float32') as tf.Tensor1D),
  };
}

/** SoftMatch's soft threshold: full weight from the mean confidence up, a Gaussian fall below. */
export function softGate(soft: SoftThreshold): ConfidenceGate {
  return {
    callback: soft,
    update: (probs) => {
      soft.update(probs);
      return soft.threshold();
    },
    weights: (confidence) => soft.weights(confidence),
  };
}
