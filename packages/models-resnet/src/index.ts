import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface ModelsResnetOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/models-resnet */
export function modelsResnet(options: ModelsResnetOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/models-resnet',
    register(registry) {
      registry.augmentation({
        name: `${prefix}modelsResnet-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}modelsResnet-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
