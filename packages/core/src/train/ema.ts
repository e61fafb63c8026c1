import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * The kernel a backend may provide for one variable's average step in one pass (@frugal/runtime-native
 * does), with the numbers of the operations `update` runs otherwise.
 */
export const EMA_UPDATE_KERNEL = 'FrugalEmaUpdate';

/**
 * Exponential moving average of a model's weights (trainable and BatchNorm statistics), used for
 * evaluation: shadow = decay * shadow + (1 - decay) * weight after every step.
 */
export class WeightEma {
  private shadows: tf.Variable[];

  constructor(
    private readonly model: LayersModel,
    readonly decay: number,
  ) {
    this.shadows = model.weights.map((w) => tf.tidy(() => tf.variable(w.read().clone(), false)));
  }

  update(): void {
    const fused = tf.getKernel(EMA_UPDATE_KERNEL, tf.getBackend()) !== undefined;
    tf.tidy(() => {
      this.model.weights.forEach((w, i) => {
        const s = this.shadows[i] as tf.Variable;
        const value = w.read();
        if (fused && s.dtype === 'float32' && value.dtype === 'float32') {
          s.assign(tf.engine().runKernel(EMA_UPDATE_KERNEL, { shadow: s, value }, { decay: this.decay }) as tf.Tensor);
        } else {
          s.assign(tf.add(tf.mul(s, this.decay), tf.mul(value, 1 - this.decay)));
        }
      });
    });
  }

  /** Runs `fn` with the averaged weights in the model, then puts the live weights back. */
  async withAveraged<T>(fn: () => T | Promise<T>): Promise<T> {
    const live = this.model.weights.map((w) => w.read().clone());
    this.model.weights.forEach((w, i) => w.write(this.shadows[i] as tf.Variable));
    try {
      return await fn();
    } finally {
      this.model.weights.forEach((w, i) => w.write(live[i] as tf.Tensor));
      tf.dispose(live);
    }
  }

  /** Copies the averaged weights into the model for good (at the end of training). */
  commit(): void {
    this.model.weights.forEach((w, i) => w.write(this.shadows[i] as tf.Variable));
  }

  getState(): tf.Tensor[] {
    return this.shadows;
  }

  setState(tensors: readonly tf.Tensor[]): void {
    this.dispose();
    this.shadows = tensors.map((t) => tf.tidy(() => tf.variable(t.clone(), false)));
  }

  dispose(): void {
    this.shadows.forEach((s) => s.dispose());
    this.shadows = [];
  }
}
