import { createFrugal, imageBatch } from '@frugal/core';
import { augment, buildPipeline, previewGrid } from '@frugal/augment';
import { loadMnist } from '@frugal/data';

/** The augmentations of a recipe, as a pipeline, applied to a few digits and saved as a PNG grid. */
export async function augmentationPreview(file: string, { digits = 6, versions = 5 } = {}) {
  const frugal = createFrugal({ plugins: [augment()], seed: 7 });

  // The same list a recipe's `augment` field holds: each op draws its own values per image.
  const pipeline = buildPipeline(frugal, [
    { op: 'pad-crop', padding: 3 },
    { op: 'rotate', degrees: 15 },
    { op: 'one-of', ops: [{ op: 'brightness', factor: [0.7, 1.3] }, { op: 'contrast', factor: [0.7, 1.3] }] },
    { op: 'cutout', size: 0.3, p: 0.5 },
  ]);

  const mnist = await loadMnist({ testPerClass: 1 });
  const images = imageBatch(mnist.train, Array.from({ length: digits }, (_, i) => i * 850)); // one of each digit
  const grid = await previewGrid({ images, augmentation: pipeline, versions, rng: frugal.rng.child('preview'), file });
  images.dispose();
  return grid;
}
