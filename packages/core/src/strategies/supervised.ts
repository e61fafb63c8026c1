import { z } from 'zod';
import { BatchSource } from '../data/batches.js';
import { evaluate } from '../metrics/evaluate.js';
import type { StrategyFactory } from '../registry/registries.js';
import { classifierLoss, forwardTraining } from '../train/classifier-step.js';
import type { Strategy, StrategyContext, StrategyResult } from '../train/strategy.js';
import { trainLoop } from '../train/train-loop.js';
import { join } from 'node:path';

export const supervisedParams = z.strictObject({});

/** Builds the recipe's model and trains it on the labelled images only. */
export async function trainSupervised(ctx: StrategyContext, options: { modelName?: string; tag?: string } = {}): Promise<StrategyResult> {
  const { data, train } = ctx;
  const built = ctx.frugal.models.create(options.modelName ?? ctx.model.name, {
    ...ctx.model.params,
    numClasses: data.classNames.length,
    inputShape: [...data.labelled.shape],
  });
  const source = new BatchSource(data.labelled, {
    batchSize: train.batchSize,
    shuffle: { rng: ctx.rng.child('shuffle') },
    numClasses: data.classNames.length,
    labelSmoothing: train.labelSmoothing,
  });
  const validation = data.validation;
  const run = await trainLoop({
    model: built.trainingModel ?? built.model,
    data: source,
    config: train,
    rng: ctx.rng.child('steps'),
    callbacks: ctx.callbacks,
    checkpointDir: ctx.runDir ? join(ctx.runDir, 'checkpoints', options.tag ?? '') : undefined,
    resume: ctx.resume,
    signal: ctx.signal,
    log: ctx.log,
    loss: (batch, info) => classifierLoss(built, forwardTraining(built, batch, info, ctx.augment, data.normalization), info),
    validate: validation
      ? () => {
          const r = evaluate(built.model, validation, { normalization: data.normalization });
          return { valLoss: r.loss, valAccuracy: r.accuracy };
        }
      : undefined,
  });
  const evaluation = data.test ? evaluate(built.model, data.test, { normalization: data.normalization }) : undefined;
  return { model: built, evaluation, details: { history: run.history, steps: run.steps, stopReason: run.stopReason } };
}

export const supervised: StrategyFactory<z.infer<typeof supervisedParams>> = (): Strategy => ({
  run: (ctx) => trainSupervised(ctx),
});
