import { serialization } from '@tensorflow/tfjs-core';
import { AdaptiveAvgPool2D } from './adaptive-avg-pool.js';
import { DropPath } from './drop-path.js';
import { ShortcutPad } from './shortcut-pad.js';
import { StepDropout } from './step-dropout.js';

/** The custom layers of the Frugal model families. */
export const CUSTOM_LAYERS = [DropPath, StepDropout, AdaptiveAvgPool2D, ShortcutPad] as const;

/**
 * Registers the custom layers for (de)serialization, so that `tf.loadLayersModel` can read a saved
 * model. Idempotent; the plugins call it from `register()` (never at import).
 */
export function registerCustomLayers(): void {
  for (const cls of CUSTOM_LAYERS) serialization.registerClass(cls);
}

/** A layer that draws a new random mask each training step. */
export interface SteppedLayer {
  setStep(step: number): void;
}

function isStepped(layer: unknown): layer is SteppedLayer {
  return typeof (layer as Partial<SteppedLayer>).setStep === 'function';
}

/** Calls `setStep(step)` on every stochastic layer of a model; returns how many it found. */
export function setModelStep(model: { readonly layers: readonly unknown[] }, step: number): number {
  let count = 0;
  for (const layer of model.layers) {
    if (isStepped(layer)) {
      layer.setStep(step);
      count++;
    }
  }
  return count;
}
