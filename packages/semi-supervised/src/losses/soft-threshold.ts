import type { TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

interface SoftThresholdState {
  readonly mean: number;
  readonly variance: number;
}

/**
 * SoftMatch's soft threshold (Chen et al. 2023): no image is dropped outright. An image whose
 * weak-view confidence reaches μ, a moving average of the batches' mean confidence, weighs 1; one
 * below weighs exp(−(confidence − μ)² / (2σ²/n²)), σ² the moving average of the batches' variance
 * of confidence and n `sigmas`. Early, when every confidence is low and spread, most images count a
 * little; as the model grows sure, the unsure ones fade. The estimates start at μ = 1/C, σ² = 1 and
 * are saved with checkpoints (it is a training callback for that), so resumes match.
 */
export class SoftThreshold implements TrainingCallback {
  private mean: number;
  private variance = 1;

  /** `name` keys the estimates in checkpoints: one name per threshold a training keeps. */
  constructor(
    numClasses: number,
    private readonly momentum: number,
    private readonly sigmas: number,
    readonly name = 'fixmatch-soft-threshold',
  ) {
    this.mean = 1 / numClasses;
  }

  /** Folds a batch of weak-view probabilities `[n, C]` into the estimates (the variance unbiased, as SoftMatch's). */
  update(probs: tf.Tensor2D): void {
    const confidence = tf.tidy(() => tf.max(probs, -1).dataSync());
    const n = confidence.length;
    let sum = 0;
    for (const c of confidence) sum += c;
    const mean = sum / n;
    let squares = 0;
    for (const c of confidence) squares += (c - mean) ** 2;
    const variance = n > 1 ? squares / (n - 1) : 0;
    const m = this.momentum;
    this.mean = m * this.mean + (1 - m) * mean;
    this.variance = m * this.variance + (1 - m) * variance;
  }

  /** The moving average of the mean confidence, μ: images at or above it weigh 1. */
  threshold(): number {
    return this.mean;
  }

  /** Each row's weight `[n]` from its confidence `[n]`. */
  weights(confidence: tf.Tensor1D): tf.Tensor1D {
    const width = (2 * this.variance) / this.sigmas ** 2;
    return tf.tidy(() => tf.exp(tf.neg(tf.div(tf.square(tf.minimum(tf.sub(confidence, this.mean), 0)), width))) as tf.Tensor1D);
  }

  getState(): SoftThresholdState {
    return { mean: this.mean, variance: this.variance };
  }

  setState(state: unknown): void {
    const s = state as Partial<SoftThresholdState> | undefined;
    if (typeof s?.mean !== 'number' || typeof s.variance !== 'number') {
      throw new Error("The checkpoint's soft threshold state is damaged; start the run afresh (without resume).");
    }
    this.mean = s.mean;
    this.variance = s.variance;
  }
}
