import { serialization } from '@tensorflow/tfjs-core';
import { AdaptiveAvgPool2D } from './adaptive-avg-pool.js';
import { torchBatchNormClass } from './batch-norm.js';
import { DropPath } from './drop-path.js';
import { ShortcutPad } from './shortcut-pad.js';

/** The custom layers of the Frugal model families. */
export const CUSTOM_LAYERS = [DropPath, AdaptiveAvgPool2D, ShortcutPad] as const;

/**
 * Registers the custom layers for (de)serialization, so that `tf.loadLayersModel` can read a saved
 * model. Idempotent; the plugins call it from `register()` (never at import). (The dropout layer
 * the models use, `SeededDropout`, comes from @frugal/core, which registers it.)
 */
export function registerCustomLayers(): void {
  for (const cls of CUSTOM_LAYERS) serialization.registerClass(cls);
  // Under tfjs-layers' own class name: every BatchNormalization loaded trains through one op.
  serialization.registerClass(torchBatchNormClass() as unknown as serialization.SerializableConstructor<serialization.Serializable>);
}
