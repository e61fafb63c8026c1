import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** The kernel @frugal/runtime-gpu's FusedBatchNorm gradient calls: all five gradients at once. */
export const BATCH_NORM_GRAD = 'FrugalBatchNormGrad';

type Inputs = { x: TensorInfo; dy: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo };

/** FusedBatchNorm's five gradients [dx, dmean, dvariance, dscale, doffset] in two threaded passes. */
export const batchNormGradConfig = nativeKernel<Inputs, { varianceEpsilon: number }>(BATCH_NORM_GRAD, ({ inputs, attrs, backend }) => {
  const { x, dy, mean, variance, scale } = inputs;
  const channels = mean.shape[0] ?? 0;
  if (!allFloat32(x, dy, mean, variance, scale) || channels === 0 || x.shape.at(-1) !== channels) return null;
  const outputs = [output(backend, [...x.shape]), ...[0, 1, 2, 3].map(() => output(backend, [channels]))];
  const [dx, dMean, dVariance, dScale, dOffset] = outputs.map((t) => offsetOf(backend, t)) as [number, number, number, number, number];
  addon().batchNormGrad(
    heapOf(backend),
    offsetOf(backend, x),
    offsetOf(backend, dy),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    scale ? offsetOf(backend, scale) : -1,
    dx,
    dMean,
    dVariance,
    dScale,
    dOffset,
    util.sizeFromShape(x.shape) / channels,
    channels,
    attrs.varianceEpsilon,
  );
  return outputs;
});
