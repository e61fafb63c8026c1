import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface DataOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/data */
export function data(options: DataOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/data',
    register(registry) {
      registry.augmentation({
        name: `${prefix}data-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}data-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
