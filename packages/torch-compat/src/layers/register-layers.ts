import { serialization } from '@tensorflow/tfjs-core';
import { AdaptiveAvgPool2D } from './adaptive-avg-pool.js';
import { torchBatchNormClass } from './batch-norm.js';
import { DropPath } from './drop-path.js';
import { Hardsigmoid, Hardswish } from './hard-activations.js';

/** The custom layers this package provides. */
export const TORCH_LAYERS = [DropPath, AdaptiveAvgPool2D, Hardswish, Hardsigmoid] as const;

/**
 * Registers this package's layers for (de)serialization, so that `tf.loadLayersModel` can read a
 * saved model. Idempotent; model plugins call it from `register()` (never at import). (The dropout
 * layer the models use, `SeededDropout`, comes from @frugal/core, which registers it.)
 */
export function registerTorchLayers(): void {
  for (const cls of TORCH_LAYERS) serialization.registerClass(cls);
  // Under tfjs-layers' own class name: every BatchNormalization loaded trains through one op.
  serialization.registerClass(torchBatchNormClass() as unknown as serialization.SerializableConstructor<serialization.Serializable>);
}
