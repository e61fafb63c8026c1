// A training strategy as a plugin: label smoothing. It states its loss; the strategy kit
// (`buildModel`, `runTraining`, `finalEvaluation`) does the rest — random streams, callbacks,
// checkpoints, resume, abort, validation and auxiliary heads.
import {
  buildModel,
  classifierLoss,
  finalEvaluation,
  forwardTraining,
  runTraining,
  type FrugalPlugin,
  type StrategyContext,
  type StrategyResult,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

export const labelSmoothingParams = z.strictObject({
  /** ε: the share of every target spread evenly over the classes; 0 is plain cross-entropy. */
  smoothing: z.number().min(0).lt(1).default(0.1),
});

/** Trains the recipe's model on the labelled images against targets (1 − ε)·y + ε/K. */
export async function trainWithLabelSmoothing(ctx: StrategyContext, smoothing: number): Promise<StrategyResult> {
  const built = buildModel(ctx);
  try {
    const run = await runTraining(ctx, {
      model: built,
      loss: (batch, info) => {
        const forward = forwardTraining(built, batch, info, ctx.augment, ctx.data.normalization);
        const classes = forward.targets.shape[1];
        const targets = tf.add(tf.mul(forward.targets, 1 - smoothing), smoothing / classes) as tf.Tensor2D;
        return classifierLoss(built, { ...forward, targets }, info);
      },
    });
    return { model: built, evaluation: finalEvaluation(ctx, built.model), details: { history: run.history, steps: run.steps } };
  } catch (error) {
    built.model.dispose();
    throw error;
  }
}

/** The plugin: one strategy, `label-smoothing`. */
export function labelSmoothing(): FrugalPlugin {
  return {
    name: '@acme/frugal-label-smoothing',
    register(registry) {
      registry.strategy({
        name: 'label-smoothing',
        description: 'Supervised training against targets smoothed towards the uniform distribution',
        params: labelSmoothingParams,
        factory: (params: z.output<typeof labelSmoothingParams>) => ({ run: (ctx) => trainWithLabelSmoothing(ctx, params.smoothing) }),
      });
    },
  };
}
