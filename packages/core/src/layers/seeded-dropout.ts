import * as tf from '@tensorflow/tfjs-core';
import { serialization } from '@tensorflow/tfjs-core';
import { layers } from '@tensorflow/tfjs-layers';
import { stepSeed } from '../rng.js';
import type { StochasticLayer } from '../train/stochastic.js';

export interface SeededDropoutArgs {
  rate: number;
  seed: number;
  name?: string;
}

/**
 * Dropout whose mask is drawn from (seed, training step): reproducible and resumable, and a new
 * mask every step. (TensorFlow.js's Dropout with a seed draws the same mask at every call.)
 */
export class SeededDropout extends layers.Layer implements StochasticLayer {
  static readonly className = 'FrugalSeededDropout';
  readonly rate: number;
  readonly seed: number;
  private step = 0;
  private calls = 0;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name });
    this.rate = args.rate;
    this.seed = args.seed;
  }

  setStep(step: number): void {
    this.step = step;
    this.calls = 0;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (!kwargs.training || this.rate <= 0) return x;
    const seed = stepSeed(this.seed + this.calls++ * 7919, this.step);
    return tf.tidy(() => {
      const keep = tf.cast(tf.greaterEqual(tf.randomUniform(x.shape, 0, 1, 'float32', seed), this.rate), 'float32');
      return tf.div(tf.mul(x, keep), 1 - this.rate);
    });
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
// Registered at import, so that a saved model with this layer loads without a Frugal instance
// (package.json "sideEffects" names this file).
serialization.registerClass(SeededDropout);
