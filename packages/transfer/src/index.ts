import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';

export interface TransferOptions {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** A Frugal plugin: @frugal/transfer */
export function transfer(options: TransferOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@frugal/transfer',
    register(registry) {
      registry.augmentation({
        name: `${prefix}transfer-invert`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: `${prefix}transfer-invert`,
          apply: (images) => images.mul(-1).add(1),
        }),
      });
    },
  };
}
