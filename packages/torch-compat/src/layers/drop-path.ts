import { stepSeed, type StochasticLayer } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import type { LayerArgs } from '@tensorflow/tfjs-layers/dist/engine/topology.js';
import type { Kwargs } from '@tensorflow/tfjs-layers/dist/types.js';

export interface DropPathArgs extends LayerArgs {
  /** Probability of dropping the whole residual branch of a sample. */
  rate: number;
  /** Seed of the layer's mask stream; the mask of step `s` is drawn with `stepSeed(seed, s)`. */
  seed: number;
}

/**
 * Stochastic depth (drop-path, Huang et al. 2016): in training, each sample's residual branch is
 * zeroed with probability `rate` and the kept ones are scaled by `1 / (1 - rate)`; at inference the
 * layer is the identity. The mask is a function of the layer's seed and the training step set with
 * `setStep()`, so a run is reproducible and every step draws a new mask.
 */
export class DropPath extends layers.Layer implements StochasticLayer {
  static readonly className = 'FrugalDropPath';
  readonly rate: number;
  readonly seed: number;
  private step = 0;

  constructor(args: DropPathArgs) {
    super(args);
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new RangeError(`DropPath "${args.name ?? ''}": rate must be in [0, 1), got ${args.rate}`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  /** Sets the training step whose mask the next calls use (the training loop calls it each step). */
  setStep(step: number): void {
    this.step = step;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    if (kwargs['training'] !== true || this.rate === 0) return x.clone();
    return tf.tidy(() => {
      const keep = 1 - this.rate;
      const maskShape = [x.shape[0] as number, ...x.shape.slice(1).map(() => 1)];
      const mask = tf.floor(tf.randomUniform(maskShape, keep, 1 + keep, 'float32', stepSeed(this.seed, this.step)));
      return tf.mul(x, tf.div(mask, keep));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}

/** Applies a `DropPath` to a symbolic tensor (skipped entirely when `rate` is 0). */
export function dropPath(x: SymbolicTensor, name: string, rate: number, seed: number): SymbolicTensor {
  if (rate === 0) return x;
  return new DropPath({ name, rate, seed }).apply(x) as SymbolicTensor;
}
