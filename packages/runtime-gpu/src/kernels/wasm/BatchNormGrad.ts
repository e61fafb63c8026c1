import { util, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';

/** Name of the kernel (ours; tfjs has none) computing all of FusedBatchNorm's gradients at once. */
export const BatchNormGrad = 'FrugalBatchNormGrad';

export interface BatchNormGradAttrs {
  varianceEpsilon: number;
}

/**
 * The gradients of batch normalisation with per-channel (last axis) mean, variance and scale, in
 * two passes over the activations instead of tfjs's dozen element-wise kernels:
 *
 *   r = 1/sqrt(variance + eps); dx = dy·r·scale; dmean = −r·scale·Σdy; dvariance = −½·r³·scale·Σdy(x−mean);
 *   dscale = r·Σdy(x−mean); doffset = Σdy   (sums over every axis but the last)
 *
 * Outputs [dx, dmean, dvariance, dscale, doffset]; `scale` may be absent (1).
 */
export function batchNormGrad(args: {
  inputs: { x: TensorInfo; dy: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo };
  backend: WasmBackend;
  attrs: BatchNormGradAttrs;
}): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { x, dy, mean, variance, scale } = inputs;
  const channels = mean.shape[0]!;
  const size = util.sizeFromShape(x.shape);
  const outputs = [
    backend.makeOutput(x.shape, 'float32'),
    ...[0, 1, 2, 3].map(() => backend.makeOutput([channels], 'float32')),
  ] as [TensorInfo, TensorInfo, TensorInfo, TensorInfo, TensorInfo];
  const heap = (t: TensorInfo) => backend.typedArrayFromHeap(t) as Float32Array;
  const [dx, dMean, dVariance, dScale, dOffset] = outputs.map(heap) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  batchNormGradValues(
    heap(x),
    heap(dy),
    heap(mean),
    heap(variance),
    scale ? heap(scale) : undefined,
    attrs.varianceEpsilon,
    channels,
    size,
    { dx, dMean, dVariance, dScale, dOffset },
  );
  return outputs;
}

/** The arithmetic of `batchNormGrad` on plain arrays (sums in float64). */
export function batchNormGradValues(
  x: Float32Array,
  dy: Float32Array,
  mean: Float32Array,
  variance: Float32Array,
  scale: Float32Array | undefined,
  epsilon: number,
  channels: number,
  size: number,
  out: { dx: Float32Array; dMean: Float32Array; dVariance: Float32Array; dScale: Float32Array; dOffset: Float32Array },
): void {
  const sumDy = new Float64Array(channels);
  const sumDyXmu = new Float64Array(channels);
  for (let base = 0; base < size; base += channels) {
    for (let c = 0; c < channels; c++) {
      const g = dy[base + c]!;
      sumDy[c] += g;
      sumDyXmu[c] += g * (x[base + c]! - mean[c]!);
    }
  }
  const factor = new Float32Array(channels); // r·scale, as float32 like tfjs's
  for (let c = 0; c < channels; c++) {
    const r = 1 / Math.sqrt(Math.fround(variance[c]! + epsilon));
    const s = scale ? scale[c]! : 1;
    factor[c] = r * s;
    out.dMean[c] = -r * s * sumDy[c]!;
    out.dVariance[c] = -0.5 * r * r * r * s * sumDyXmu[c]!;
    out.dScale[c] = r * sumDyXmu[c]!;
    out.dOffset[c] = sumDy[c]!;
  }
  for (let base = 0; base < size; base += channels) {
    for (let c = 0; c < channels; c++) out.dx[base + c] = dy[base + c]! * factor[c]!;
  }
}

export const batchNormGradConfig: KernelConfig = {
  kernelName: BatchNormGrad,
  backendName: 'wasm',
  kernelFunc: batchNormGrad as unknown as KernelFunc,
};
