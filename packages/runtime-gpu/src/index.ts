import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface RuntimeGpuOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/runtime-gpu */
export function runtimeGpu(options: RuntimeGpuOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/runtime-gpu',
    register(registry) {
      registry.augmentation({
        name: `${prefix}runtimeGpu-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}runtimeGpu-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
