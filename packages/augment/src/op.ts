import type { Augmentation, AugmentationFactory, RegistryEntry, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import { drawSelected, pick } from './sample.js';
import { applyToRows } from './tensor/rows.js';
import type { AugmentContext, MagnitudeAugmentation, MagnitudeOptions } from './types.js';

/** An `augmentations` registry entry. */
export type AugmentationEntry = RegistryEntry<AugmentationFactory>;

/** Defines an entry whose factory gets typed parameters and our build context. */
export function defineAugmentation<P>(entry: {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  readonly factory: (params: P, ctx: AugmentContext) => Augmentation;
}): AugmentationEntry {
  return { ...entry, factory: (params: unknown, ctx: AugmentContext) => entry.factory(params as P, ctx) };
}

/**
 * A per-sample op: `draw` picks each sample's arguments from the op's parameters, `kernel` applies
 * them to the whole batch at once. `magnitude` (when RandAugment may use the op) turns per-sample
 * magnitude levels into the same arguments.
 */
export interface OpDefinition<P extends { readonly p: number }, A> {
  readonly name: string;
  readonly description: string;
  readonly params: z.ZodType<P>;
  draw(params: P, rng: Rng, n: number, images: tf.Tensor4D): A;
  kernel(images: tf.Tensor4D, args: A, params: P): tf.Tensor4D;
  magnitude?(params: P, levels: Float32Array, rng: Rng, options: MagnitudeOptions): A;
}

/** The augmentation of an op definition with parsed parameters. */
export function opAugmentation<P extends { readonly p: number }, A>(def: OpDefinition<P, A>, params: P): Augmentation {
  const apply = (images: tf.Tensor4D, rng: Rng): tf.Tensor4D => {
    const chosen = drawSelected(rng, images.shape[0], params.p);
    return applyToRows(images, chosen, (rows) => tf.tidy(() => def.kernel(rows, def.draw(params, rng, rows.shape[0], rows), params)), def.name);
  };
  const magnitude = def.magnitude;
  if (!magnitude) return { name: def.name, apply };
  const aug: MagnitudeAugmentation = {
    name: def.name,
    apply,
    applyAtMagnitude(images, levels, rng, options = {}) {
      const chosen = drawSelected(rng, images.shape[0], params.p);
      return applyToRows(
        images,
        chosen,
        (rows, indices) => tf.tidy(() => def.kernel(rows, magnitude.call(def, params, pick(levels, indices), rng, options), params)),
        def.name,
      );
    },
  };
  return aug;
}

/** The registry entry of an op definition. */
export function defineOp<P extends { readonly p: number }, A>(def: OpDefinition<P, A>): AugmentationEntry {
  return defineAugmentation({
    name: def.name,
    description: def.description,
    params: def.params,
    factory: (params) => opAugmentation(def, params),
  });
}
