import { registerTorchLayers, TORCH_LAYERS } from '@frugal/torch-compat';
import { serialization } from '@tensorflow/tfjs-core';
import { ShortcutPad } from './shortcut-pad.js';

/** The custom layers of the ResNet family: @frugal/torch-compat's and the CIFAR shortcut. */
export const CUSTOM_LAYERS = [...TORCH_LAYERS, ShortcutPad] as const;

/**
 * Registers the custom layers for (de)serialization, so that `tf.loadLayersModel` can read a saved
 * model. Idempotent; the plugin calls it from `register()` (never at import).
 */
export function registerCustomLayers(): void {
  registerTorchLayers();
  serialization.registerClass(ShortcutPad);
}
