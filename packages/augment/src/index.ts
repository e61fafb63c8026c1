import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface AugmentOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/augment */
export function augment(options: AugmentOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/augment',
    register(registry) {
      registry.augmentation({
        name: `${prefix}augment-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}augment-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
