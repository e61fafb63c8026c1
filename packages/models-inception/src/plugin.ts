import type { FrugalPlugin } from '@frugal/core';
import { registerTorchLayers } from '@frugal/torch-compat';
import { registerGoogLeNets } from './googlenet.js';
import { registerInceptionV3 } from './inception-v3.js';

export interface InceptionPluginOptions {
  /** Prefix for the registered model names. */
  prefix?: string;
}

/** The Inception family as a Frugal plugin: googlenet (Inception v1 with BatchNorm), inception_v3. */
export function inception(options: InceptionPluginOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/models-inception',
    register(registry) {
      registerTorchLayers();
      registerGoogLeNets(registry, options.prefix ?? '');
      registerInceptionV3(registry, options.prefix ?? '');
    },
  };
}
