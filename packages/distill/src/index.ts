import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface DistillOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/distill */
export function distill(options: DistillOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/distill',
    register(registry) {
      registry.augmentation({
        name: `${prefix}distill-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}distill-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
