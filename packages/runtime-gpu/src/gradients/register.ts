import { getGradient, registerGradient, unregisterGradient, type GradConfig } from '@tensorflow/tfjs-core';
import { freeBackwardPassEarly } from '../engine/backward-pass.js';
import { fusedBatchNormGradConfig } from './FusedBatchNorm_grad.js';
import { meanGradConfig } from './Mean_grad.js';
import { sumGradConfig } from './Sum_grad.js';

/** tfjs's own gradients that ours replaced (FusedBatchNorm's falls back to it off wasm). */
const replaced = new Map<string, GradConfig>();

/**
 * Gradients that give tfjs's numbers with less work: Mean and Sum without the full-size tensor of
 * ones tfjs builds in JavaScript at every step (all backends), FusedBatchNorm through one kernel on
 * wasm (tfjs's elsewhere).
 */
export const TRAINING_GRADIENTS: readonly GradConfig[] = [
  meanGradConfig,
  sumGradConfig,
  fusedBatchNormGradConfig(() => replaced.get('FusedBatchNorm')),
];

/**
 * Registers the gradients above, replacing tfjs's, and the backward pass that frees each kernel's
 * tensors as soon as its gradient has run (src/engine/backward-pass.ts). Idempotent. Importing
 * @tensorflow/tfjs-layers registers tfjs's gradients again, so call this after that import
 * (useBackend does).
 */
export function registerTrainingGradients(): void {
  freeBackwardPassEarly();
  for (const config of TRAINING_GRADIENTS) {
    const current = getGradient(config.kernelName);
    if (current === config) continue;
    if (current) {
      if (!TRAINING_GRADIENTS.includes(current)) replaced.set(config.kernelName, current);
      unregisterGradient(config.kernelName);
    }
    registerGradient(config);
  }
}
