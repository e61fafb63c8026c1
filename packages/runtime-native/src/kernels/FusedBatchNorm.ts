import { FusedBatchNorm, util, type FusedBatchNormAttrs, type FusedBatchNormInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** Batch normalisation over the last axis with given statistics, multi-threaded. */
export const fusedBatchNormConfig = nativeKernel<FusedBatchNormInputs, FusedBatchNormAttrs>(FusedBatchNorm, ({ inputs, attrs, backend }) => {
  const { x, mean, variance, offset, scale } = inputs as { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };
  const channels = x.shape.at(-1) ?? 0;
  const perChannel = (t?: TensorInfo) => t === undefined || (t.shape.length === 1 && t.shape[0] === channels);
  if (!allFloat32(x, mean, variance, offset, scale) || channels === 0 || ![mean, variance, offset, scale].every(perChannel)) return null;
  const y = output(backend, [...x.shape]);
  const rows = util.sizeFromShape(x.shape) / channels;
  addon().batchNorm(
    heapOf(backend),
    offsetOf(backend, x),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    offset ? offsetOf(backend, offset) : -1,
    scale ? offsetOf(backend, scale) : -1,
    offsetOf(backend, y),
    rows,
    channels,
    attrs.varianceEpsilon,
  );
  return y;
});
