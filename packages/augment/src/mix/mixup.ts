import type { Augmentation, Rng } from '@frugal/core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { probability } from '../params.js';
import { drawBeta } from './beta.js';
import { checkBatch, mixImages, mixTargets, type Pairing } from './pairing.js';

export const mixupParams = z.strictObject({
  /** λ ~ Beta(alpha, alpha); small alpha keeps λ near 0 or 1 (mostly one image). */
  alpha: z.number().gt(0).default(0.2),
  /** `elem`: each sample draws its own λ; `batch`: one λ for the whole batch (timm's default). */
  mode: z.enum(['elem', 'batch']).default('elem'),
  /** Probability that a sample (elem) or the batch (batch) is mixed. */
  p: probability(1),
});
export type MixupParams = z.output<typeof mixupParams>;

/** Partners from a random permutation and a λ per sample (1 for samples left unmixed). */
export function drawMixupPairing(rng: Rng, n: number, params: MixupParams): Pairing {
  const partner = rng.permutation(n);
  const lambda = new Float32Array(n);
  if (params.mode === 'batch') {
    lambda.fill(rng.bernoulli(params.p) ? drawBeta(rng, params.alpha, params.alpha) : 1);
  } else {
    for (let i = 0; i < n; i++) lambda[i] = rng.bernoulli(params.p) ? drawBeta(rng, params.alpha, params.alpha) : 1;
  }
  return { partner, lambda };
}

/** MixUp (Zhang et al. 2018): images and targets mixed pairwise with the same λ. */
export function mixupAugmentation(params: MixupParams): Augmentation {
  return {
    name: 'mixup',
    /** The image half only (for previews); training uses `applyBatch`, which mixes the targets too. */
    apply: (images, rng) => mixImages(images, drawMixupPairing(rng, images.shape[0], params)),
    applyBatch(batch, rng) {
      checkBatch(batch, 'mixup');
      const pairing = drawMixupPairing(rng, batch.x.shape[0], params);
      return { x: mixImages(batch.x, pairing), y: mixTargets(batch.y, pairing) };
    },
  };
}

export const mixup = defineAugmentation({
  name: 'mixup',
  description: 'MixUp: blend pairs of images and their labels with λ ~ Beta(alpha, alpha) (soft labels)',
  params: mixupParams,
  factory: (params) => mixupAugmentation(params),
});
