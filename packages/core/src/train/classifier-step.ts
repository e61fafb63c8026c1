import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch } from '../data/augment-batch.js';
import { normalize } from '../data/batches.js';
import type { Augmentation, Batch, BuiltModel, Normalization } from '../types.js';
import { batchAccuracy, softCrossEntropy } from './losses.js';
import type { StepInfo } from './train-loop.js';

/**
 * The supervised step's forward pass: augment -> normalize -> model (training mode) -> logits,
 * plus the auxiliary heads' logits when the model has them.
 */
export function forwardTraining(
  built: BuiltModel,
  batch: Batch,
  info: StepInfo,
  augment: readonly Augmentation[],
  normalization: Normalization,
): { logits: tf.Tensor2D; aux: tf.Tensor2D[]; targets: tf.Tensor2D } {
  const augmented = augmentBatch(augment, batch, info.rng.child('augment'));
  const x = normalize(augmented.x, normalization);
  augmented.x.dispose();
  const net = built.trainingModel ?? built.model;
  const out = net.apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  const [logits, ...aux] = Array.isArray(out) ? out : [out];
  return { logits: logits as tf.Tensor2D, aux, targets: augmented.y };
}

/** Cross-entropy of the main head plus the weighted auxiliary heads (GoogLeNet: 0.3 each). */
export function classifierLoss(
  built: BuiltModel,
  forward: { logits: tf.Tensor2D; aux: tf.Tensor2D[]; targets: tf.Tensor2D },
  info: StepInfo,
): tf.Scalar {
  let loss = softCrossEntropy(forward.logits, forward.targets);
  forward.aux.forEach((a, i) => {
    loss = tf.add(loss, tf.mul(softCrossEntropy(a, forward.targets), built.auxLossWeights?.[i] ?? 0.3));
  });
  info.track('accuracy', batchAccuracy(forward.logits, forward.targets));
  return loss;
}
