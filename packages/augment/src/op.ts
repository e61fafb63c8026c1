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
  readonly fromText?: (text: string, path: string) => Record<string, unknown> | undefined;
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
  /**
   * Spreads arguments drawn for the chosen samples over the whole batch, with arguments that leave
   * the others unchanged (angle 0, factor 1, an empty box). With it, `p < 1` runs the kernel once on
   * the whole batch instead of gathering the chosen rows and scattering them back.
   */
  spread?(args: A, chosen: Int32Array, n: number): A;
}

/** `spread` for one value per sample: `neutral` for the samples not chosen. */
export function spreadValues(neutral: number) {
  return (args: Float32Array, chosen: Int32Array, n: number): Float32Array => {
    const out = new Float32Array(n).fill(neutral);
    chosen.forEach((row, k) => (out[row] = args[k] as number));
    return out;
  };
}

/** `spread` for an object of per-sample values, each field with its own neutral value. */
export function spreadFields<K extends string>(neutral: Record<K, number>) {
  return (args: Record<K, Float32Array>, chosen: Int32Array, n: number): Record<K, Float32Array> =>
    Object.fromEntries(Object.entries<number>(neutral).map(([key, value]) => [key, spreadValues(value)(args[key as K], chosen, n)])) as Record<
      K,
      Float32Array
    >;
}

/** `spread` for per-sample lists (boxes, ...): `neutral()` for the samples not chosen. */
export function spreadItems<T>(neutral: () => T) {
  return (args: T[], chosen: Int32Array, n: number): T[] => {
    const out = Array.from({ length: n }, neutral);
    chosen.forEach((row, k) => (out[row] = args[k] as T));
    return out;
  };
}

/** The augmentation of an op definition with parsed parameters. */
export function opAugmentation<P extends { readonly p: number }, A>(def: OpDefinition<P, A>, params: P): Augmentation {
  /** Runs `argsFor(chosen rows)` through the kernel: on the whole batch when the op can spread its arguments. */
  const run = (images: tf.Tensor4D, chosen: Int32Array, argsFor: (rows: tf.Tensor4D, indices: Int32Array) => A): tf.Tensor4D => {
    const n = images.shape[0];
    const spread = def.spread;
    if (spread && chosen.length > 0 && chosen.length < n) {
      return tf.tidy(() => def.kernel(images, spread.call(def, argsFor(images, chosen), chosen, n), params));
    }
    return applyToRows(images, chosen, (rows, indices) => tf.tidy(() => def.kernel(rows, argsFor(rows, indices), params)), def.name);
  };
  const apply = (images: tf.Tensor4D, rng: Rng): tf.Tensor4D => {
    const chosen = drawSelected(rng, images.shape[0], params.p);
    return run(images, chosen, (rows, indices) => def.draw(params, rng, indices.length, rows));
  };
  const magnitude = def.magnitude;
  if (!magnitude) return { name: def.name, apply };
  const aug: MagnitudeAugmentation = {
    name: def.name,
    apply,
    applyAtMagnitude(images, levels, rng, options = {}) {
      const chosen = drawSelected(rng, images.shape[0], params.p);
      return run(images, chosen, (_rows, indices) => magnitude.call(def, params, pick(levels, indices), rng, options));
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
