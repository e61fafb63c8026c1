import { augmentSpecSchema, type Augmentation, type AugmentSpec, type Frugal } from '@frugal/core';

// One augmentation spec everywhere: core's schema, read by core's parser.
export { augmentSpecSchema };
export type { AugmentSpec };

/**
 * Builds a strategy's view (weak, strong, noise) from specs, as a recipe's `augment` list is built:
 * names, text forms (`"rand-m9-n2-mstd0.5"`) and objects; errors name `field`.
 */
export function resolveAugmentations(frugal: Frugal, specs: readonly AugmentSpec[], field: string): Augmentation[] {
  return frugal.augmentations.build(specs, field, { unknownNameHint: `Or name another augmentation in ${field}, or set ${field} to [] to train without it.` });
}
