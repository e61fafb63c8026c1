import type { FrugalPlugin } from '@frugal/core';
import { registerTorchLayers } from '@frugal/torch-compat';
import { registerMobileNetV2 } from './mobilenet-v2.js';
import { registerMobileNetV3 } from './mobilenet-v3.js';

export interface MobileNetPluginOptions {
  /** Prefix for the registered model names. */
  prefix?: string;
}

/** The MobileNet family as a Frugal plugin: mobilenet_v2, mobilenet_v3_large, mobilenet_v3_small. */
export function mobilenet(options: MobileNetPluginOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/models-mobilenet',
    register(registry) {
      registerTorchLayers();
      registerMobileNetV2(registry, options.prefix ?? '');
      registerMobileNetV3(registry, options.prefix ?? '');
    },
  };
}
