import type { TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

interface ThresholdState {
  readonly global: number;
  readonly local: readonly number[];
  readonly histogram?: readonly number[];
}

/**
 * FreeMatch's self-adaptive threshold (Wang et al. 2023): the global threshold τ is an exponential
 * moving average of the weak views' mean confidence, and each class's threshold scales it by that
 * class's moving-average probability relative to the most predicted class. It starts at 1/C, so an
 * untrained model already learns from its most confident guesses, and rises as the model learns.
 * It also follows the histogram of the weak views' arg-maxes, which FreeMatch's fairness loss
 * reads. The estimates are saved with checkpoints (it is a training callback for that), so resumes
 * match.
 */
export class SelfAdaptiveThreshold implements TrainingCallback {
  private global: number;
  private local: number[];
  private histogram: number[];

  /** `name` keys the estimates in checkpoints: one name per threshold a training keeps. */
  constructor(
    private readonly numClasses: number,
    private readonly momentum: number,
    readonly name = 'fixmatch-self-adaptive-threshold',
  ) {
    this.global = 1 / numClasses;
    this.local = new Array<number>(numClasses).fill(1 / numClasses);
    this.histogram = [...this.local];
  }

  /** Folds a batch of weak-view probabilities `[n, C]` into the estimates. */
  update(probs: tf.Tensor2D): void {
    const C = this.numClasses;
    const stats = tf.tidy(() =>
      tf.concat([tf.mean(tf.max(probs, -1), 0, true), tf.mean(probs, 0), tf.mean(tf.oneHot(tf.argMax(probs, -1), C), 0)]).dataSync(),
    );
    const m = this.momentum;
    this.global = m * this.global + (1 - m) * (stats[0] as number);
    this.local = this.local.map((p, c) => m * p + (1 - m) * (stats[c + 1] as number));
    this.histogram = this.histogram.map((h, c) => m * h + (1 - m) * (stats[c + 1 + C] as number));
  }

  /** The per-class thresholds τ · p̃(c) / max p̃. */
  thresholds(): number[] {
    const max = Math.max(...this.local);
    return this.local.map((p) => (this.global * p) / max);
  }

  /** The moving average of the model's mean prediction p̃ on weak views. */
  modelProbability(): readonly number[] {
    return this.local;
  }

  /** The moving average of the weak views' histogram of arg-maxes (each row counted once). */
  modelHistogram(): readonly number[] {
    return this.histogram;
  }

  getState(): ThresholdState {
    return { global: this.global, local: [...this.local], histogram: [...this.histogram] };
  }

  setState(state: unknown): void {
    const s = state as Partial<ThresholdState> | undefined;
    if (typeof s?.global !== 'number' || !Array.isArray(s.local) || s.local.length !== this.numClasses) {
      throw new Error(`The checkpoint's self-adaptive threshold state does not match ${this.numClasses} classes; start the run afresh (without resume).`);
    }
    const histogram = Array.isArray(s.histogram) && s.histogram.length === this.numClasses ? s.histogram : s.local;
    this.global = s.global;
    this.local = [...s.local];
    this.histogram = [...histogram];
  }
}
