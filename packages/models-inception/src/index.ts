import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface ModelsInceptionOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/models-inception */
export function modelsInception(options: ModelsInceptionOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/models-inception',
    register(registry) {
      registry.augmentation({
        name: `${prefix}modelsInception-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}modelsInception-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
