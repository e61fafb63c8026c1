import type { Augmentation } from '@frugal/core';
import { drawSelected, pick } from '../sample.js';
import { applyToRows } from '../tensor/rows.js';
import { hasMagnitude, type MagnitudeAugmentation } from '../types.js';

/**
 * `aug` applied to each sample with probability `p` (the others pass unchanged). A batch-level op
 * is applied to the whole batch with probability `p`.
 */
export function withProbability(aug: Augmentation, p: number): Augmentation {
  if (p >= 1) return aug;
  const out: Augmentation = {
    name: aug.name,
    apply: (images, rng) => applyToRows(images, drawSelected(rng, images.shape[0], p), (rows) => aug.apply(rows, rng), aug.name),
  };
  const { applyBatch } = aug;
  const withBatch: Augmentation = applyBatch
    ? {
        ...out,
        applyBatch: (batch, rng) => (rng.bernoulli(p) ? applyBatch.call(aug, batch, rng) : { x: batch.x.clone(), y: batch.y.clone() }),
      }
    : out;
  if (!hasMagnitude(aug)) return withBatch;
  const magnitude: MagnitudeAugmentation = {
    ...withBatch,
    applyAtMagnitude: (images, levels, rng, options) => {
      const chosen = drawSelected(rng, images.shape[0], p);
      return applyToRows(images, chosen, (rows, indices) => aug.applyAtMagnitude(rows, pick(levels, indices), rng, options), aug.name);
    },
  };
  return magnitude;
}
