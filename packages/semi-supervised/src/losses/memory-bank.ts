import type { TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

interface BankState {
  readonly next: number;
  readonly filled: number;
  readonly embeddings: number[];
  readonly probabilities: number[];
}

/**
 * CoMatch's memory bank (Li et al. 2021): the last `size` weak-view embeddings (unit rows) with
 * their class probabilities (the unlabelled images' predictions, the labelled images' one-hot
 * labels), written in a ring. Once full, it smooths a batch's predictions by its neighbours:
 * q = α · p + (1 − α) · Σ_k a_k q_k, with a the softmax over the bank of the embeddings'
 * similarities / temperature. It is saved with checkpoints (a training callback), so resumes match.
 */
export class MemoryBank implements TrainingCallback {
  readonly name = 'comatch-memory-bank';
  private embeddings: Float32Array;
  private probabilities: Float32Array;
  private next = 0;
  private filled = 0;

  constructor(
    readonly size: number,
    private readonly dim: number,
    private readonly numClasses: number,
  ) {
    this.embeddings = new Float32Array(size * dim);
    this.probabilities = new Float32Array(size * numClasses);
  }

  get full(): boolean {
    return this.filled === this.size;
  }

  /** α · probs + (1 − α) · the bank's probabilities weighted by embedding similarity; `probs` itself until the bank is full. */
  smooth(probs: tf.Tensor2D, embeddings: tf.Tensor2D, alpha: number, temperature: number): tf.Tensor2D {
    if (!this.full) return tf.clone(probs);
    return tf.tidy(() => {
      const bankEmbeddings = tf.tensor2d(this.embeddings, [this.size, this.dim]);
      const bankProbabilities = tf.tensor2d(this.probabilities, [this.size, this.numClasses]);
      const affinity = tf.softmax(tf.div(tf.matMul(embeddings, bankEmbeddings, false, true), temperature));
      return tf.add(tf.mul(probs, alpha), tf.mul(tf.matMul(affinity, bankProbabilities), 1 - alpha)) as tf.Tensor2D;
    });
  }

  /** Writes rows of embeddings `[n, dim]` and probabilities `[n, C]` over the oldest ones. */
  push(embeddings: tf.Tensor2D, probs: tf.Tensor2D): void {
    const e = embeddings.dataSync();
    const p = probs.dataSync();
    const n = embeddings.shape[0];
    for (let i = 0; i < n; i++) {
      this.embeddings.set(e.subarray(i * this.dim, (i + 1) * this.dim), this.next * this.dim);
      this.probabilities.set(p.subarray(i * this.numClasses, (i + 1) * this.numClasses), this.next * this.numClasses);
      this.next = (this.next + 1) % this.size;
      this.filled = Math.min(this.filled + 1, this.size);
    }
  }

  getState(): BankState {
    return { next: this.next, filled: this.filled, embeddings: Array.from(this.embeddings), probabilities: Array.from(this.probabilities) };
  }

  setState(state: unknown): void {
    const s = state as Partial<BankState> | undefined;
    if (!Array.isArray(s?.embeddings) || s.embeddings.length !== this.embeddings.length || !Array.isArray(s.probabilities) || s.probabilities.length !== this.probabilities.length) {
      throw new Error(`The checkpoint's memory bank does not hold ${this.size} rows of ${this.dim} + ${this.numClasses}; start the run afresh (without resume).`);
    }
    this.embeddings = Float32Array.from(s.embeddings);
    this.probabilities = Float32Array.from(s.probabilities);
    this.next = Number(s.next);
    this.filled = Number(s.filled);
  }
}
