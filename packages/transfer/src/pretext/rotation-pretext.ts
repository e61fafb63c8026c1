import { concat, FrugalInputError, trainSupervised, type StrategyFactory, type StrategyContext, type StrategyResult } from '@frugal/core';
import { z } from 'zod';
import { ROTATIONS, rotatedImages } from './rotated-images.js';

export const rotationPretextParams = z.strictObject({
  /** Training images (labelled and unlabelled, labels unread) the task is made of, each in 4 rotations. */
  images: z.number().int().min(1).default(10_000),
});

export type RotationPretextParams = z.infer<typeof rotationPretextParams>;

/**
 * A transfer source made from the run's own images: the recipe's model learns which way up each
 * training image is (4 classes). Its saved model starts a later run (`model.init`, or the
 * `transfer` strategy's `saved-model` source), whose new head then needs few labels. The test
 * images, in their 4 rotations, measure the task.
 */
export async function trainRotationPretext(ctx: StrategyContext, params: RotationPretextParams): Promise<StrategyResult> {
  const { labelled, unlabelled, test } = ctx.data;
  const [height, width] = labelled.shape;
  if (height !== width) {
    throw new FrugalInputError(
      `strategy.name: rotation-pretext turns images by quarter turns, so it needs square images, but these are ${height}×${width}; ` +
        'give the dataset a square size, or use the contrastive-pretext strategy',
    );
  }
  const images = unlabelled ? concat(unlabelled, labelled) : labelled;
  const task: StrategyContext = {
    ...ctx,
    data: {
      ...ctx.data,
      labelled: rotatedImages(images, params.images),
      unlabelled: undefined,
      validation: undefined,
      test: test ? rotatedImages(test, test.labels.length) : undefined,
      classNames: [...ROTATIONS],
    },
  };
  ctx.log(`Rotation task: ${task.data.labelled.labels.length} images (${Math.min(params.images, images.labels.length)} in 4 rotations each)`);
  const result = await trainSupervised(task);
  return { ...result, classNames: [...ROTATIONS] };
}

export const rotationPretext: StrategyFactory<RotationPretextParams> = (params) => ({
  run: (ctx) => trainRotationPretext(ctx, params),
});
