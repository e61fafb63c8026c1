import type { BuiltModel } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';

/** The trained model's logits in training mode (the paper's pseudo-labels). */
export function liveLogits(built: BuiltModel, x: tf.Tensor4D): tf.Tensor2D {
  const out = (built.trainingModel ?? built.model).apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  return Array.isArray(out) ? (out[0] as tf.Tensor2D) : out;
}
