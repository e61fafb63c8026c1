import { batchAccuracy, forwardTraining, softCrossEntropy, withAuxiliaryLosses, type Augmentation, type Batch, type BuiltModel, type StepInfo, type StrategyContext } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { labelledRowsOf } from '../data/mixed-batch-source.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';

/** The student's loss: mean CE of the labelled rows + weight × mean CE of the pseudo-labelled rows (+ auxiliary heads). */
export function studentLoss(
  ctx: StrategyContext,
  built: BuiltModel,
  augment: readonly Augmentation[],
  weight: number,
): (batch: Batch, info: StepInfo) => tf.Scalar {
  return (batch, info) => {
    const { logits, targets, aux } = forwardTraining(built, batch, info, augment, ctx.data.normalization);
    const labelledRows = labelledRowsOf(batch);
    const n = logits.shape[0];
    const ce = rowCrossEntropy(logits, targets);
    const labelled = tf.mean(rows(ce, 0, labelledRows)) as tf.Scalar;
    const pseudo = tf.mean(rows(ce, labelledRows, n - labelledRows)) as tf.Scalar;
    const loss = withAuxiliaryLosses(tf.add(labelled, tf.mul(pseudo, weight)) as tf.Scalar, built, aux, (a) => softCrossEntropy(a, targets));
    info.track('accuracy', batchAccuracy(rows(logits, 0, labelledRows), rows(targets, 0, labelledRows)));
    info.track('pseudoLoss', pseudo);
    return loss;
  };
}
