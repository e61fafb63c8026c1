import { z } from 'zod';
import type { StrategyFactory } from '../registry/registries.js';
import { buildModel, releaseModel } from '../strategy-kit/build-model.js';
import { finalEvaluation } from '../strategy-kit/run-evaluation.js';
import { runTraining, type TrainingPlan } from '../strategy-kit/run-training.js';
import { supervisedLoss } from '../strategy-kit/supervised-loss.js';
import type { TrainLoopResult } from '../train/loop-types.js';
import type { Strategy, StrategyContext, StrategyResult } from '../train/strategy.js';
import type { Augmentation, BuiltModel } from '../types.js';

export const supervisedParams = z.strictObject({});

export interface SupervisedOptions extends Pick<TrainingPlan, 'stream' | 'folder' | 'train' | 'callbacks' | 'resume'> {
  /** The model to train; default: a new one built from the recipe (`modelName` instead of its name when given). */
  readonly model?: BuiltModel;
  readonly modelName?: string;
  /** Default: the recipe's augmentations. */
  readonly augment?: readonly Augmentation[];
  /** Evaluate the trained model at the end (test set, else validation set); default true. */
  readonly evaluate?: boolean;
}

export interface SupervisedResult extends StrategyResult {
  /** The training loop's history and step count. */
  readonly run: TrainLoopResult;
}

/**
 * Trains a model on the labelled images only: the recipe's model, or a model already built (a
 * warm-up before FixMatch, the teacher generation of self-training). A model built here is
 * disposed when training fails; a given one stays the caller's.
 */
export async function trainSupervised(ctx: StrategyContext, options: SupervisedOptions = {}): Promise<SupervisedResult> {
  const built = options.model ?? buildModel(ctx, { ...ctx.model, name: options.modelName ?? ctx.model.name });
  try {
    const { stream, folder, train, callbacks, resume } = options;
    const loss = supervisedLoss(ctx, built, options.augment);
    const run = await runTraining(ctx, { model: built, loss, stream, folder, train, callbacks, resume });
    const evaluation = options.evaluate === false ? undefined : finalEvaluation(ctx, built.model);
    return { model: built, evaluation, run, details: { history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    if (!options.model) releaseModel(built);
    throw error;
  }
}

export const supervised: StrategyFactory<z.infer<typeof supervisedParams>> = (): Strategy => ({
  run: (ctx) => trainSupervised(ctx),
});
