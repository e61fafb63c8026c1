import type { Augmentation } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { buildSpecs, siteOf } from '../pipeline/build.js';
import { opListSchema } from '../pipeline/spec.js';
import { applyToGroups } from '../tensor/rows.js';
import { groupsByChoice } from './one-of.js';
import { applyBatchInOrder, isBatchLevel } from './sequence.js';
import { probability } from '../params.js';
import { withProbability } from './probability.js';

/**
 * All `children`, each sample in its own random order. Step t applies, to every sample, the child
 * at position t of its order — one batched call per child and step.
 */
export function randomOrderAugmentation(children: readonly Augmentation[]): Augmentation {
  const out: Augmentation = {
    name: 'random-order',
    apply(images, rng) {
      const n = images.shape[0];
      const orders = Array.from({ length: n }, () => rng.permutation(children.length));
      let x: tf.Tensor4D = images;
      for (let t = 0; t < children.length; t++) {
        const choices = Int32Array.from(orders, (order) => order[t] as number);
        const next = applyToGroups(x, groupsByChoice(choices, children, rng));
        if (x !== images) x.dispose();
        x = next;
      }
      return x === images ? images.clone() : x;
    },
  };
  if (!isBatchLevel(children)) return out;
  return {
    ...out,
    applyBatch: (batch, rng) => applyBatchInOrder(Array.from(rng.permutation(children.length), (k) => children[k] as Augmentation), batch, rng),
  };
}

export const randomOrder = defineAugmentation({
  name: 'random-order',
  description: 'Apply all ops, each sample in its own random order',
  params: z.strictObject({ ops: opListSchema, p: probability(1) }),
  factory: (params, ctx) => withProbability(randomOrderAugmentation(buildSpecs(params.ops, siteOf(ctx, 'random-order'))), params.p),
});
