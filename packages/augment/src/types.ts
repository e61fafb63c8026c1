import type { Augmentation, AugmentationResolver, BuildContext, Rng } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';

/** How a policy asks an op for a strength. */
export interface MagnitudeOptions {
  /**
   * timm's "increasing" variants: a higher level is always a stronger change (posterize keeps fewer
   * bits, enhance factors move further from 1). Off: timm's default RandAugment mapping.
   */
  readonly increasing?: boolean;
}

/**
 * An op that RandAugment can drive: besides drawing its own parameters, it applies itself at a
 * given magnitude level per sample, on timm's scale (0 = no change, 10 = the op's full range).
 * A third-party op implements `applyAtMagnitude` to take part in RandAugment with a magnitude;
 * without it RandAugment applies the op as it is.
 */
export interface MagnitudeAugmentation extends Augmentation {
  applyAtMagnitude(images: tf.Tensor4D, levels: Float32Array, rng: Rng, options?: MagnitudeOptions): tf.Tensor4D;
}

export function hasMagnitude(aug: Augmentation): aug is MagnitudeAugmentation {
  return typeof (aug as Partial<MagnitudeAugmentation>).applyAtMagnitude === 'function';
}

/** What composite entries need to build their children by name: a view of an augmentations registry (core's). */
export type { AugmentationResolver };

/**
 * The build context our factories accept: core's, plus the registry to resolve op names from.
 * `buildPipeline(frugal, specs)` passes the Frugal instance's registry, so ops of every loaded plugin
 * can be named inside compositions and policies.
 */
export interface AugmentContext extends BuildContext {
  readonly augmentations?: AugmentationResolver;
  /** Where the spec sits in the recipe (`augment[2]`), for error messages of nested specs. */
  readonly path?: string;
}
