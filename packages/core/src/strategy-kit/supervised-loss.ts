import type * as tf from '@tensorflow/tfjs-core';
import { classifierLoss, forwardTraining } from '../train/classifier-step.js';
import type { StepInfo } from '../train/loop-types.js';
import type { StrategyContext } from '../train/strategy.js';
import type { Augmentation, Batch, BuiltModel } from '../types.js';

/**
 * The supervised loss of `built` on a batch: augment (`augment`, default the recipe's) -> normalize
 * -> training-mode forward pass -> cross-entropy of the main head plus the weighted auxiliary heads.
 */
export function supervisedLoss(
  ctx: StrategyContext,
  built: BuiltModel,
  augment: readonly Augmentation[] = ctx.augment,
): (batch: Batch, info: StepInfo) => tf.Scalar {
  return (batch, info) => classifierLoss(built, forwardTraining(built, batch, info, augment, ctx.data.normalization), info);
}
