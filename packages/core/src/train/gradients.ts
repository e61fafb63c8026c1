import * as tf from '@tensorflow/tfjs-core';

/** The global L2 norm of a list of gradients. */
export function globalNorm(grads: readonly tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(tf.addN(grads.map((g) => tf.sum(tf.square(g))))) as tf.Scalar);
}

/**
 * Scales `grads` so that their global norm is at most `maxNorm` (as torch.nn.utils.clip_grad_norm_).
 * Returns new tensors; the caller disposes both lists.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): { grads: tf.Tensor[]; norm: number } {
  const normTensor = globalNorm(grads);
  const norm = normTensor.dataSync()[0] as number;
  normTensor.dispose();
  const scale = Math.min(1, maxNorm / (norm + 1e-6));
  return { grads: grads.map((g) => (scale < 1 ? tf.mul(g, scale) : g.clone())), norm };
}
