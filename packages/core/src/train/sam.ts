import * as tf from '@tensorflow/tfjs-core';
import { globalNorm } from './gradients.js';

export interface SharpnessAware {
  /** How far the weights move along the normalised gradient before the gradient is taken again. */
  readonly rho: number;
  /** Variables the forward pass writes (BatchNorm's statistics): put back after the moved pass. */
  readonly restore: readonly tf.Variable[];
}

/**
 * Sharpness-aware minimisation (Foret et al. 2021): the gradients of `loss` at w + ρ·g/‖g‖, where g
 * are `grads`, the gradients at w. The weights and `restore` are put back as they were, so that the
 * optimizer steps from w. Returns new tensors in the order of `vars`; the caller disposes them.
 */
export function sharpnessAwareGrads(vars: readonly tf.Variable[], grads: readonly tf.Tensor[], loss: () => tf.Scalar, sam: SharpnessAware): tf.Tensor[] {
  const before = [...vars, ...sam.restore].map((v) => v.clone());
  try {
    tf.tidy(() => {
      const scale = tf.div(sam.rho, tf.add(globalNorm(grads), 1e-12));
      vars.forEach((v, i) => v.assign(tf.add(v, tf.mul(grads[i] as tf.Tensor, scale))));
    });
    const moved = tf.variableGrads(loss, [...vars]);
    moved.value.dispose();
    return vars.map((v) => moved.grads[v.name] as tf.Tensor);
  } finally {
    [...vars, ...sam.restore].forEach((v, i) => v.assign(before[i] as tf.Tensor));
    tf.dispose(before);
  }
}
