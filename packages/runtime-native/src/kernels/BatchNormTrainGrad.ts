import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** The kernel @frugal/models-resnet's batch norm calls in training: gradients by the batch's own statistics. */
export const BATCH_NORM_TRAIN_GRAD = 'FrugalBatchNormTrainGrad';

type Inputs = { x: TensorInfo; dy: TensorInfo; mean: TensorInfo; variance: TensorInfo; scale?: TensorInfo };

/**
 * Batch norm's gradients [dx, dscale, doffset] where the mean and variance are the batch's own
 * (so dx carries their dependence on x), in two threaded passes.
 */
export const batchNormTrainGradConfig = nativeKernel<Inputs, { varianceEpsilon: number }>(BATCH_NORM_TRAIN_GRAD, ({ inputs, attrs, backend }) => {
  const { x, dy, mean, variance, scale } = inputs;
  const channels = mean.shape[0] ?? 0;
  if (!allFloat32(x, dy, mean, variance, scale) || channels === 0 || x.shape.at(-1) !== channels) return null;
  const outputs = [output(backend, [...x.shape]), output(backend, [channels]), output(backend, [channels])];
  const [dx, dScale, dOffset] = outputs.map((t) => offsetOf(backend, t)) as [number, number, number];
  addon().batchNormTrainGrad(
    heapOf(backend),
    offsetOf(backend, x),
    offsetOf(backend, dy),
    offsetOf(backend, mean),
    offsetOf(backend, variance),
    scale ? offsetOf(backend, scale) : -1,
    dx,
    dScale,
    dOffset,
    util.sizeFromShape(x.shape) / channels,
    channels,
    attrs.varianceEpsilon,
  );
  return outputs;
});
