import type { Augmentation, Rng } from '@frugal/core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { buildSpecs, siteOf } from '../pipeline/build.js';
import { opListSchema } from '../pipeline/spec.js';
import { applyToGroups, type RowGroup } from '../tensor/rows.js';
import { applyBatchInOrder, isBatchLevel } from './sequence.js';
import { probability } from '../params.js';
import { withProbability } from './probability.js';

/** Index drawn with probability proportional to `weights`. */
export function drawWeighted(rng: Rng, weights: readonly number[]): number {
  const total = weights.reduce((a, b) => a + b, 0);
  let u = rng.uniform(0, total);
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i] as number;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/** Groups of samples by the child each one chose. */
export function groupsByChoice(choices: Int32Array, children: readonly Augmentation[], rng: Rng): RowGroup[] {
  return children.map((child, k) => ({
    indices: Int32Array.from(choices.reduce<number[]>((acc, c, i) => (c === k ? (acc.push(i), acc) : acc), [])),
    fn: (rows) => child.apply(rows, rng),
    name: child.name,
  }));
}

/**
 * Each sample gets exactly one of `children`, chosen with probability proportional to `weights`
 * (uniform by default). With batch-level children (MixUp, CutMix), `applyBatch` picks one per batch.
 */
export function oneOfAugmentation(children: readonly Augmentation[], weights?: readonly number[]): Augmentation {
  const w = weights ?? children.map(() => 1);
  const out: Augmentation = {
    name: 'one-of',
    apply(images, rng) {
      const choices = Int32Array.from({ length: images.shape[0] }, () => drawWeighted(rng, w));
      return applyToGroups(images, groupsByChoice(choices, children, rng));
    },
  };
  if (!isBatchLevel(children)) return out;
  return { ...out, applyBatch: (batch, rng) => applyBatchInOrder([children[drawWeighted(rng, w)] as Augmentation], batch, rng) };
}

export const oneOf = defineAugmentation({
  name: 'one-of',
  description: 'Apply one of ops per sample, chosen uniformly or by weights',
  params: z
    .strictObject({ ops: opListSchema, weights: z.array(z.number().min(0)).optional(), p: probability(1) })
    .refine((v) => !v.weights || v.weights.length === v.ops.length, { message: 'give one weight per op', path: ['weights'] })
    .refine((v) => !v.weights || v.weights.some((x) => x > 0), { message: 'at least one weight must be above 0', path: ['weights'] }),
  factory: (params, ctx) => withProbability(oneOfAugmentation(buildSpecs(params.ops, siteOf(ctx, 'one-of')), params.weights), params.p),
});
