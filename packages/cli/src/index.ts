import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface CliOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/cli */
export function cli(options: CliOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/cli',
    register(registry) {
      registry.augmentation({
        name: `${prefix}cli-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}cli-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
