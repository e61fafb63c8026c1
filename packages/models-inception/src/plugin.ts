import type { FrugalPlugin } from '@frugal/core';
import { registerTorchLayers } from '@frugal/torch-compat';
import { registerGoogLeNets } from './googlenet.js';

export interface InceptionPluginOptions {
  /** Prefix for the registered model names. */
  prefix?: string;
}

/** The Inception family as a Frugal plugin: googlenet (Inception v1 with BatchNorm). */
export function inception(options: InceptionPluginOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/models-inception',
    register(registry) {
      registerTorchLayers();
      registerGoogLeNets(registry, options.prefix ?? '');
    },
  };
}
