import {
  buildModel,
  finalEvaluation,
  FrugalInputError,
  oneHotTargets,
  pixelBatch,
  runTraining,
  supervisedLoss,
  TaskBatches,
  taskImages,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
  releaseModel,
} from '@frugal/core';
import { z } from 'zod';
import { evenlySpaced } from './evenly-spaced.js';
import { ROTATIONS, rotatedImages, turnedImages } from './rotated-images.js';

export const rotationPretextParams = z.strictObject({
  /** Training images (labelled and unlabelled, labels unread) the task is made of, each in 4 rotations. */
  images: z.number().int().min(1).default(10_000),
});

export type RotationPretextParams = z.infer<typeof rotationPretextParams>;

/**
 * A transfer source made from the run's own images: the recipe's model learns which way up each
 * training image is (4 classes). Its saved model starts a later run (`model.init`, or the
 * `transfer` strategy's `saved-model` source), whose new head then needs few labels. The images
 * are read a batch at a time, each turned as its step needs it, so a folder read from disk is
 * never held in memory. The test images, in their 4 rotations, measure the task.
 */
export async function trainRotationPretext(ctx: StrategyContext, params: RotationPretextParams): Promise<StrategyResult> {
  const images = taskImages(ctx);
  const { shape } = images;
  const [height, width] = shape;
  if (height !== width) {
    throw new FrugalInputError(
      `strategy.name: rotation-pretext turns images by quarter turns, so it needs square images, but these are ${height}×${width}; ` +
        'give the dataset a square size, or use the contrastive-pretext strategy',
    );
  }
  // Item 4i + q of the task is picked image i turned q quarter turns, labelled q.
  const picked = evenlySpaced(images.count, params.images);
  const quarters = Int32Array.from({ length: picked.length * 4 }, (_, item) => item % 4);
  const classNames = [...ROTATIONS];
  const { test } = ctx.data;
  const task: StrategyContext = {
    ...ctx,
    data: {
      ...ctx.data,
      labelled: { shape, pixels: new Uint8Array(0), labels: new Int32Array(0), classNames },
      unlabelled: undefined,
      unlabelledStream: undefined,
      validation: undefined,
      test: test ? rotatedImages(test, test.labels.length) : undefined,
      classNames,
    },
  };
  const data = new TaskBatches(images, quarters.length, {
    batchSize: ctx.train.batchSize,
    shuffle: { rng: ctx.rng.child('shuffle') },
    labels: quarters,
    balanceClasses: ctx.train.balanceClasses,
    imageOf: (item) => picked[item >> 2] as number,
    batch: (items, pixels) => {
      const turns = Int32Array.from(items, (item) => item % 4);
      return { x: pixelBatch(turnedImages(pixels, shape, turns), shape), y: oneHotTargets(turns, 4, ctx.train.labelSmoothing ?? 0) };
    },
  });
  ctx.log(`Rotation task: ${quarters.length} images (${picked.length} in 4 rotations each)`);
  const built = buildModel(task);
  try {
    const run = await runTraining(task, { model: built, loss: supervisedLoss(task, built), data });
    const evaluation = finalEvaluation(task, built.model);
    return { model: built, evaluation, classNames, details: { history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    releaseModel(built);
    throw error;
  }
}

export const rotationPretext: StrategyFactory<RotationPretextParams> = (params) => ({
  run: (ctx) => trainRotationPretext(ctx, params),
});
