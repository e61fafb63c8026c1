import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch } from '../data/augment-batch.js';
import { normalize } from '../data/batches.js';
import type { Augmentation, Batch, BuiltModel, Normalization } from '../types.js';
import { batchAccuracy, softCrossEntropy } from './losses.js';
import type { StepInfo } from './loop-types.js';

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

/** An auxiliary head's weight in the loss when its model names none (GoogLeNet's 0.3). */
export const DEFAULT_AUX_LOSS_WEIGHT = 0.3;

/**
 * `loss` plus each auxiliary head's loss (`lossOf` its logits) times the head's weight
 * (`built.auxLossWeights`, default 0.3) times `scale`.
 */
export function withAuxiliaryLosses(
  loss: tf.Scalar,
  built: Pick<BuiltModel, 'auxLossWeights'>,
  aux: readonly tf.Tensor2D[],
  lossOf: (logits: tf.Tensor2D) => tf.Scalar,
  scale = 1,
): tf.Scalar {
  let total = loss;
  aux.forEach((a, i) => {
    total = tf.add(total, tf.mul(lossOf(a), scale * (built.auxLossWeights?.[i] ?? DEFAULT_AUX_LOSS_WEIGHT)));
  });
  return total;
}

/** Cross-entropy of the main head plus the weighted auxiliary heads (GoogLeNet: 0.3 each). */
export function classifierLoss(
  built: BuiltModel,
  forward: { logits: tf.Tensor2D; aux: tf.Tensor2D[]; targets: tf.Tensor2D },
  info: StepInfo,
): tf.Scalar {
  const loss = withAuxiliaryLosses(softCrossEntropy(forward.logits, forward.targets), built, forward.aux, (a) => softCrossEntropy(a, forward.targets));
  info.track('accuracy', batchAccuracy(forward.logits, forward.targets));
  return loss;
}
