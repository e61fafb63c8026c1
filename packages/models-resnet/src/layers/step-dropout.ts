import { stepSeed } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

export interface StepDropoutArgs extends LayerArgs {
  /** Fraction of the units dropped in training. */
  rate: number;
  /** Seed of the layer's mask stream; the mask of step `s` is drawn with `stepSeed(seed, s)`. */
  seed: number;
}

/**
 * Dropout whose mask is a function of its seed and the training step (`setStep()`). tfjs's own
 * `Dropout` with a seed draws the same mask on every call, and without one it is not reproducible.
 * Identity at inference.
 */
export class StepDropout extends layers.Layer {
  static readonly className = 'FrugalStepDropout';
  readonly rate: number;
  readonly seed: number;
  private step = 0;

  constructor(args: StepDropoutArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`StepDropout "${args.name ?? ''}": rate must be in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  setStep(step: number): void {
    this.step = step;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs['training'] !== true || this.rate === 0) return x.clone();
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const mask = tf.floor(tf.randomUniform(x.shape, keep, 1 + keep, 'float32', stepSeed(this.seed, this.step)));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Applies a `StepDropout` to a symbolic tensor (skipped entirely when `rate` is 0). */
export function stepDropout(x: SymbolicTensor, name: string, rate: number, seed: number): SymbolicTensor {
  if (rate === 0) return x;
  return new StepDropout({ name, rate, seed }).apply(x) as SymbolicTensor;
}
