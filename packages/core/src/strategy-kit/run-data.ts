import { BatchSource } from '../data/batches.js';
import { TaskImages } from '../data/task-images.js';
import { FrugalInputError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { StrategyContext } from '../train/strategy.js';
import type { ImageSet, StreamedImageSet } from '../types.js';

/**
 * Shuffled batches of the labelled images (the recipe's batch size, label smoothing and class
 * balance), shuffled by `rng.child('shuffle')`; a note when the batch size is larger than the images.
 */
export function labelledBatches(ctx: StrategyContext, rng: Rng = ctx.rng): BatchSource {
  const { batchSize } = ctx.train;
  const count = ctx.data.labelled.labels.length;
  if (batchSize > count) ctx.log(`Note: train.batchSize is ${batchSize} but there are only ${count} labelled images; each step uses all ${count}. Lower batchSize to silence this`);
  return new BatchSource(ctx.data.labelled, {
    batchSize: ctx.train.batchSize,
    shuffle: { rng: rng.child('shuffle') },
    numClasses: ctx.data.classNames.length,
    labelSmoothing: ctx.train.labelSmoothing,
    balanceClasses: ctx.train.balanceClasses,
  });
}

/** The run's unlabelled images; a clear error when a strategy that learns from them has none. */
export function requireUnlabelled(ctx: StrategyContext, strategy: string): ImageSet {
  const unlabelled = ctx.data.unlabelled;
  if (!unlabelled || unlabelled.labels.length === 0) throw noUnlabelled(strategy);
  return unlabelled;
}

/**
 * The run's unlabelled images, in memory or read from disk in batches (a folder source, for a
 * strategy registered with `streamsUnlabelled`); a clear error when there are none.
 */
export function requireUnlabelledSource(ctx: StrategyContext, strategy: string): ImageSet | StreamedImageSet {
  const { unlabelled, unlabelledStream } = ctx.data;
  if (unlabelled && unlabelled.labels.length > 0) return unlabelled;
  if (unlabelledStream && unlabelledStream.count > 0) return unlabelledStream;
  throw noUnlabelled(strategy);
}

/**
 * Every training image of the run, labels unread: its unlabelled images (in memory, or read from
 * disk in batches for a strategy registered with `streamsUnlabelled`), then its labelled ones.
 */
export function taskImages(ctx: StrategyContext): TaskImages {
  return new TaskImages(ctx.data.unlabelled ?? ctx.data.unlabelledStream, ctx.data.labelled);
}

function noUnlabelled(strategy: string): FrugalInputError {
  return new FrugalInputError(
    `Strategy "${strategy}" learns from unlabelled images, and this run has none. Set data.labelledPerClass ` +
      `(or data.labelledFraction) so that the rest of the training set becomes unlabelled, or use a dataset that has unlabelled images.`,
  );
}
