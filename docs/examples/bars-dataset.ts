// A dataset as a plugin: synthetic images of one bar, horizontal or vertical — the class. A dataset
// factory returns the training images (and, when it has them, test and unlabelled images) as
// uint8 HWC pixels with integer labels; the recipe's `data` section then splits them.
import type { FrugalPlugin, ImageSet, Rng } from '@frugal/core';
import { z } from 'zod';

export const barsParams = z.strictObject({
  /** Training images (the test set has a quarter as many). */
  count: z.number().int().min(2).max(100_000).default(200),
  /** Side of the square images, in pixels. */
  size: z.number().int().min(4).max(256).default(16),
});

const CLASSES = ['horizontal', 'vertical'];

/** `count` images with a bright bar at a random row or column on a dark, noisy ground. */
function bars(count: number, size: number, rng: Rng): ImageSet {
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const at = rng.int(0, size);
    labels[i] = label;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const onBar = (label === 0 ? r : c) === at;
        pixels[(i * size + r) * size + c] = onBar ? 220 : rng.int(0, 60);
      }
    }
  }
  return { shape: [size, size, 1], pixels, labels, classNames: CLASSES };
}

/** The plugin: one dataset, `bars`, its images drawn from the seed the recipe gives. */
export function barsDataset(): FrugalPlugin {
  return {
    name: '@acme/frugal-bars',
    register(registry) {
      registry.dataset({
        name: 'bars',
        description: 'Synthetic bars, horizontal or vertical: a two-class task for quick checks',
        params: barsParams,
        factory: async (params: z.output<typeof barsParams>, ctx) => ({
          name: 'bars',
          train: bars(params.count, params.size, ctx.rng.child('train')),
          test: bars(Math.max(2, Math.round(params.count / 4)), params.size, ctx.rng.child('test')),
          classNames: CLASSES,
          normalization: { mean: [0.2], std: [0.3] },
        }),
      });
    },
  };
}
