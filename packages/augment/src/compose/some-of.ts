import type { Augmentation, Rng } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { probability, range } from '../params.js';
import { buildSpecs, siteOf } from '../pipeline/build.js';
import { opListSchema } from '../pipeline/spec.js';
import { applyToRows } from '../tensor/rows.js';
import { applyBatchInOrder, isBatchLevel } from './sequence.js';
import { withProbability } from './probability.js';

/** `count` distinct indices of 0..size-1, in increasing order. */
function drawSubset(rng: Rng, size: number, count: number): number[] {
  const order = rng.permutation(size);
  return Array.from(order.subarray(0, count)).sort((a, b) => a - b);
}

/**
 * Each sample gets a random subset of `children` — between `count[0]` and `count[1]` of them,
 * distinct — applied in list order. With batch-level children, `applyBatch` draws one subset per batch.
 */
export function someOfAugmentation(children: readonly Augmentation[], count: readonly [number, number]): Augmentation {
  const drawCount = (rng: Rng) => rng.int(count[0], count[1] + 1);
  const out: Augmentation = {
    name: 'some-of',
    apply(images, rng) {
      const n = images.shape[0];
      const chosen = children.map(() => [] as number[]);
      for (let i = 0; i < n; i++) for (const k of drawSubset(rng, children.length, drawCount(rng))) chosen[k]?.push(i);
      let x: tf.Tensor4D = images;
      children.forEach((child, k) => {
        const next = applyToRows(x, Int32Array.from(chosen[k] ?? []), (rows) => child.apply(rows, rng), child.name);
        if (x !== images) x.dispose();
        x = next;
      });
      return x === images ? images.clone() : x;
    },
  };
  if (!isBatchLevel(children)) return out;
  return {
    ...out,
    applyBatch: (batch, rng) => {
      const picked = drawSubset(rng, children.length, drawCount(rng)).map((k) => children[k] as Augmentation);
      return applyBatchInOrder(picked, batch, rng);
    },
  };
}

export const someOf = defineAugmentation({
  name: 'some-of',
  description: 'Apply n distinct ops of ops per sample (n a number or a [min, max] range), in list order',
  params: z
    .strictObject({ ops: opListSchema, n: range({ default: [1, 1], min: 0, int: true }), p: probability(1) })
    .refine((v) => v.n[1] <= v.ops.length, { message: 'n cannot exceed the number of ops', path: ['n'] }),
  factory: (params, ctx) => withProbability(someOfAugmentation(buildSpecs(params.ops, siteOf(ctx, 'some-of')), params.n), params.p),
});
