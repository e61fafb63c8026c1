import type { Augmentation, Batch, Rng } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { buildSpecs, siteOf } from '../pipeline/build.js';
import { opListSchema } from '../pipeline/spec.js';
import { probability } from '../params.js';
import { withProbability } from './probability.js';

/** Applies `children` one after the other to the images; intermediate tensors are released. */
export function applyInOrder(children: readonly Augmentation[], images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
  let x = images;
  for (const child of children) {
    const next = child.apply(x, rng);
    if (x !== images && next !== x) x.dispose();
    x = next;
  }
  return x === images ? images.clone() : x;
}

/**
 * Applies `children` one after the other to a batch: batch-level ops (MixUp, CutMix) through
 * `applyBatch`, the others to the images. Returns new tensors; the caller disposes the input.
 */
export function applyBatchInOrder(children: readonly Augmentation[], batch: Batch, rng: Rng): Batch {
  let current = batch;
  for (const child of children) {
    const next: Batch = child.applyBatch ? child.applyBatch(current, rng) : { x: child.apply(current.x, rng), y: current.y };
    if (current !== batch) {
      if (current.x !== next.x) current.x.dispose();
      if (current.y !== next.y) current.y.dispose();
    }
    current = next;
  }
  return {
    x: current.x === batch.x ? batch.x.clone() : current.x,
    y: current.y === batch.y ? batch.y.clone() : current.y,
  };
}

/** Whether any child mixes whole batches (and so needs the targets). */
export function isBatchLevel(children: readonly Augmentation[]): boolean {
  return children.some((child) => typeof child.applyBatch === 'function');
}

/** All `children`, in order. */
export function sequenceOf(children: readonly Augmentation[], name = 'sequence'): Augmentation {
  const apply = (images: tf.Tensor4D, rng: Rng) => applyInOrder(children, images, rng);
  if (!isBatchLevel(children)) return { name, apply };
  return { name, apply, applyBatch: (batch, rng) => applyBatchInOrder(children, batch, rng) };
}

export const sequence = defineAugmentation({
  name: 'sequence',
  description: 'Apply ops one after the other',
  params: z.strictObject({ ops: opListSchema, p: probability(1) }),
  factory: (params, ctx) => withProbability(sequenceOf(buildSpecs(params.ops, siteOf(ctx, 'sequence')), 'sequence'), params.p),
});
