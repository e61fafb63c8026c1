import type { TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Distribution alignment (ReMixMatch, Berthelot et al. 2020; in FixMatch as USB runs it): the
 * weak views' probabilities are multiplied by target(c) / p̃(c), where p̃ is a moving average of
 * the model's mean prediction on unlabelled images, then renormalised. A model that over-predicts
 * some classes (the easy ones, after a few labels) has those classes' pseudo-labels damped and the
 * others' lifted, so the pseudo-labels follow the classes' real frequencies (uniform by default).
 * The average is saved with checkpoints (it is a training callback for that), so resumes match.
 */
export class DistributionAlignment implements TrainingCallback {
  private average: number[];
  private readonly target: readonly number[];

  /** `name` keys the average in checkpoints: one name per alignment a training keeps. */
  constructor(
    private readonly numClasses: number,
    private readonly momentum: number,
    target?: readonly number[],
    readonly name = 'fixmatch-distribution-alignment',
  ) {
    this.target = target ?? new Array<number>(numClasses).fill(1 / numClasses);
    this.average = [...this.target];
  }

  /** Folds a batch of probabilities `[n, C]` into the average, and returns them aligned (rows summing to 1). */
  align(probs: tf.Tensor2D): tf.Tensor2D {
    const mean = tf.tidy(() => tf.mean(probs, 0).dataSync());
    const m = this.momentum;
    this.average = this.average.map((p, c) => m * p + (1 - m) * (mean[c] as number));
    return tf.tidy(() => {
      const scaled = tf.mul(probs, tf.tensor1d(this.target.map((t, c) => t / Math.max(this.average[c] as number, 1e-6))));
      return tf.div(scaled, tf.sum(scaled, -1, true)) as tf.Tensor2D;
    });
  }

  /** The model's average prediction on unlabelled images so far. */
  modelDistribution(): readonly number[] {
    return this.average;
  }

  getState(): { average: number[] } {
    return { average: [...this.average] };
  }

  setState(state: unknown): void {
    const s = state as { average?: unknown } | undefined;
    if (!Array.isArray(s?.average) || s.average.length !== this.numClasses) {
      throw new Error(`The checkpoint's distribution-alignment state does not match ${this.numClasses} classes; start the run afresh (without resume).`);
    }
    this.average = (s.average as unknown[]).map(Number);
  }
}
