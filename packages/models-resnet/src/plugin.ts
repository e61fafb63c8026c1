import type { FrugalPlugin } from '@frugal/core';
import { registerCustomLayers } from './layers/register-layers.js';
import { registerResNets } from './resnet.js';
import { registerWideResNets } from './wide-resnet.js';

export interface ResNetPluginOptions {
  /** Prefix for the registered model names (e.g. 'tv-' gives 'tv-resnet18'). */
  prefix?: string;
}

/** The ResNet family as a Frugal plugin: resnet18/34/50/101/152, resnet20/32/44/56/110, plain20/56, the Wide ResNets. */
export function resnet(options: ResNetPluginOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/models-resnet',
    register(registry) {
      registerCustomLayers();
      registerResNets(registry, options.prefix ?? '');
      registerWideResNets(registry, options.prefix ?? '');
    },
  };
}
