import type { Augmentation, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { fillValue, probability } from '../params.js';
import { buildSpecs, siteOf } from '../pipeline/build.js';
import { opListSchema, type AugmentSpec } from '@frugal/core';
import { parseRandAugmentConfig } from './rand-augment-config.js';
import { applyToGroups, type RowGroup } from '../tensor/rows.js';
import { hasMagnitude } from '../types.js';
import { withProbability } from '../compose/probability.js';

/** timm's `_RAND_TRANSFORMS`, by our op names (timm's Color is `saturation`, TranslateXRel `translate-x`). */
export const RAND_AUGMENT_OPS = [
  'autocontrast',
  'equalize',
  'invert',
  'rotate',
  'posterize',
  'solarize',
  'solarize-add',
  'saturation',
  'contrast',
  'brightness',
  'sharpness',
  'shear-x',
  'shear-y',
  'translate-x',
  'translate-y',
] as const;

const GEOMETRIC = new Set<string>(['rotate', 'shear-x', 'shear-y', 'translate-x', 'translate-y']);

/** The default op list: timm's, geometric ops filling with `fill`. */
export function defaultRandAugmentOps(fill: number): AugmentSpec[] {
  return RAND_AUGMENT_OPS.map((op) => (GEOMETRIC.has(op) ? { op, fill } : op));
}

export const randAugmentParams = z.strictObject({
  /** Ops applied to each image (drawn with replacement). */
  n: z.number().int().min(0).max(20).default(2),
  /** Magnitude on timm's 0–10 scale. */
  m: z.number().min(0).default(9),
  /** Per-draw magnitude noise: m + N(0, mstd); above 100 means uniform in [0, m] (timm's `mstdinf`). */
  mstd: z.number().min(0).default(0),
  /** Upper bound of a noisy magnitude. */
  mmax: z.number().min(0).default(10),
  /** Probability that each chosen op is applied (timm: 0.5). */
  opProbability: probability(0.5),
  /** timm's increasing-severity variants (`inc1`). */
  increasing: z.boolean().default(false),
  /** Ops to choose from, by name (any plugin's), with parameters if wanted; default: timm's list. */
  ops: opListSchema.optional(),
  /** Fill of the default geometric ops (timm fills with mid-grey). */
  fill: fillValue(0.5),
  /** Probability that an image gets RandAugment at all. */
  p: probability(1),
});
export type RandAugmentParams = z.output<typeof randAugmentParams>;

function drawLevel(rng: Rng, params: RandAugmentParams): number {
  let level = params.m;
  if (params.mstd > 100) level = rng.uniform(0, params.m);
  else if (params.mstd > 0) level = rng.normal(params.m, params.mstd);
  return Math.min(params.mmax, Math.max(0, level));
}

/**
 * RandAugment (Cubuk et al. 2020, as timm implements it): each image gets `n` ops drawn uniformly
 * (with replacement) from `ops`, each applied with `opProbability` at magnitude `m` (plus noise).
 * Each layer is one batched call per op on the samples that drew it.
 */
export function randAugmentAugmentation(ops: readonly Augmentation[], params: RandAugmentParams): Augmentation {
  const batchLevel = ops.find((op) => typeof op.applyBatch === 'function');
  if (batchLevel) {
    throw new Error(
      `rand-augment: "${batchLevel.name}" mixes whole batches (and their labels) and cannot be one of RandAugment's per-image ops; ` +
        `put it in the pipeline after rand-augment instead.`,
    );
  }
  const options = { increasing: params.increasing };
  return {
    name: 'rand-augment',
    apply(images, rng) {
      const n = images.shape[0];
      return tf.tidy(() => {
        let x = images;
        for (let layer = 0; layer < params.n; layer++) {
          const members = ops.map(() => [] as number[]);
          const levels = ops.map(() => [] as number[]);
          for (let i = 0; i < n; i++) {
            const k = rng.int(0, ops.length);
            if (!rng.bernoulli(params.opProbability)) continue;
            members[k]?.push(i);
            levels[k]?.push(drawLevel(rng, params));
          }
          const groups: RowGroup[] = ops.map((op, k) => ({
            indices: Int32Array.from(members[k] ?? []),
            name: op.name,
            fn: (rows) => (hasMagnitude(op) ? op.applyAtMagnitude(rows, Float32Array.from(levels[k] ?? []), rng, options) : op.apply(rows, rng)),
          }));
          x = applyToGroups(x, groups);
        }
        return x === images ? images.clone() : x;
      });
    },
  };
}

export const randAugment = defineAugmentation({
  name: 'rand-augment',
  description: 'RandAugment: n random ops per image at magnitude m (timm string form: rand-m9-n2-mstd0.5)',
  params: randAugmentParams,
  fromText: (text, path) => (/^rand(-|$)/.test(text) ? { ...parseRandAugmentConfig(text, path) } : undefined),
  factory: (params, ctx) => {
    const site = siteOf(ctx, 'rand-augment');
    return withProbability(randAugmentAugmentation(buildSpecs(params.ops ?? defaultRandAugmentOps(params.fill), site), params), params.p);
  },
});
