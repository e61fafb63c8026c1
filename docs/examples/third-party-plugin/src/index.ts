import type { FrugalPlugin } from '@frugal/core';
import { z } from 'zod';
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

/**
 * The plugin's options. A recipe's `plugins: [["@acme/frugal-plugin-example", { prefix: "acme-" }]]`
 * is checked against this schema (exported as `pluginOptions`) before the factory is called.
 */
export const pluginOptions = z.strictObject({
  /** Prefix for the registered names, should they clash with another plugin's. */
  prefix: z
    .string()
    .regex(/^[a-z0-9-]*$/, 'expected lower-case letters, digits and "-", e.g. "acme-"')
    .optional(),
});

export type AcmeOptions = z.input<typeof pluginOptions>;

/** The plugin: registers the `pixelate` augmentation and the `lenet5` model. Nothing happens at import. */
export function acme(options: AcmeOptions = {}): FrugalPlugin {
  const prefix = pluginOptions.parse(options).prefix ?? '';
  return {
    name: '@acme/frugal-plugin-example',
    // Recorded so that loading the plugin again with other options is caught.
    options,
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

// A recipe's `plugins: ["@acme/frugal-plugin-example"]` loads the default export; options, when
// given, are checked against `pluginOptions` and passed to it.
export default acme;
