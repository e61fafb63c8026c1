import { engine, FusedBatchNorm, getBackend, getKernel, type GradConfig, type NamedAttrMap, type NamedTensorMap, type Tensor } from '@tensorflow/tfjs-core';
import { BatchNormGrad } from '../kernels/wasm/BatchNormGrad.js';

/**
 * FusedBatchNorm's gradient through one kernel (`FrugalBatchNormGrad`) where the active backend
 * has it (wasm) and the statistics are per channel; otherwise tfjs's own gradient (`fallback`).
 */
export function fusedBatchNormGradConfig(fallback: () => GradConfig | undefined): GradConfig {
  return {
    kernelName: FusedBatchNorm,
    inputsToSave: ['x', 'mean', 'variance', 'scale'],
    gradFunc: (dy: Tensor | Tensor[], saved: Tensor[], attrs: NamedAttrMap) => {
      const [x, mean, variance, scale] = saved as [Tensor, Tensor, Tensor, Tensor | undefined];
      const g = dy as Tensor;
      const fused =
        getKernel(BatchNormGrad, getBackend()) !== undefined &&
        mean.rank === 1 &&
        variance.rank === 1 &&
        (scale == null || scale.rank === 1) &&
        x.dtype === 'float32' &&
        g.dtype === 'float32' &&
        x.shape[x.rank - 1] === mean.shape[0];
      if (!fused) {
        const original = fallback();
        if (!original?.gradFunc) throw new Error('FusedBatchNorm: no gradient to fall back to (is @tensorflow/tfjs-core complete?)');
        return original.gradFunc(dy, saved, attrs);
      }
      // One kernel call gives all five gradients; it runs now (inside the engine's backprop scope,
      // which disposes what is not used) so that every thunk returns one of its outputs.
      const inputs: NamedTensorMap = { x, dy: g, mean, variance };
      if (scale != null) inputs['scale'] = scale;
      const [dx, dMean, dVariance, dScale, dOffset] = engine().runKernel(BatchNormGrad, inputs, {
        varianceEpsilon: (attrs as { varianceEpsilon: number }).varianceEpsilon,
      }) as Tensor[];
      return {
        x: () => dx!,
        mean: () => dMean!,
        variance: () => dVariance!,
        scale: () => dScale!,
        offset: () => dOffset!,
      };
    },
  };
}
