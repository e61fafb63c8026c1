import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface SemiSupervisedOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/semi-supervised */
export function semiSupervised(options: SemiSupervisedOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/semi-supervised',
    register(registry) {
      registry.augmentation({
        name: `${prefix}semiSupervised-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}semiSupervised-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
