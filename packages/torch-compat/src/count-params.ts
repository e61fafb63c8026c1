import type { LayersModel } from '@tensorflow/tfjs-layers';

/**
 * Trainable parameters, counted as PyTorch's `sum(p.numel() for p in model.parameters())`:
 * BatchNorm's gamma and beta count, its running statistics (buffers in PyTorch) do not.
 */
export function countParams(model: LayersModel): number {
  return model.trainableWeights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}
