import type { FrugalPlugin } from '@frugal/core';
import { createLeNet5, lenet5Params, type LeNet5Params } from './lenet5.js';
import { pixelate, pixelateParams } from './pixelate.js';

export { createLeNet5, lenet5Params, pixelate, pixelateParams };
export type { LeNet5Params };
export type { PixelateParams } from './pixelate.js';
export { pixelateImages } from './pixelate.js';

// Typed extension: `frugal.models.create('lenet5', { ... })` now checks LeNet-5's parameters.
declare module '@frugal/core' {
  interface FrugalModels {
    lenet5: LeNet5Params;
  }
}

export interface AcmeOptions {
  /** Prefix for the registered names, should they clash with another plugin's. */
  prefix?: string;
}

/** The plugin: registers the `pixelate` augmentation and the `lenet5` model. Nothing happens at import. */
export function acme(options: AcmeOptions = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '@acme/frugal-plugin-example',
    register(registry) {
      registry.augmentation({
        name: `${prefix}pixelate`,
        description: 'Pixelate images (shrink, then enlarge by nearest neighbour), each with probability p',
        params: pixelateParams,
        factory: (params) => pixelate(params),
      });
      registry.model({
        name: `${prefix}lenet5`,
        description: 'LeNet-5 (LeCun et al. 1998): two conv + pool stages, 120- and 84-unit dense layers',
        params: lenet5Params,
        factory: (params, ctx) => createLeNet5(params, ctx.rng),
      });
    },
  };
}

// A recipe's `plugins: ["@acme/frugal-plugin-example"]` loads the default export.
export default acme;
