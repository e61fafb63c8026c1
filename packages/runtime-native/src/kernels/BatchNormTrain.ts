import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** The kernel @frugal/models-resnet's batch norm calls in training: normalisation by the batch's own statistics. */
export const BATCH_NORM_TRAIN = 'FrugalBatchNormTrain';

type Inputs = { x: TensorInfo; scale?: TensorInfo; offset?: TensorInfo };

/**
 * Batch norm over the last axis by the batch's own statistics: [y, mean, variance (biased)], in
 * three threaded passes where `tf.moments` then `tf.batchNorm` take six kernels and five passes —
 * with the same arithmetic, so the same numbers.
 */
export const batchNormTrainConfig = nativeKernel<Inputs, { varianceEpsilon: number }>(BATCH_NORM_TRAIN, ({ inputs, attrs, backend }) => {
  const { x, scale, offset } = inputs;
  const channels = x.shape.at(-1) ?? 0;
  const rows = channels === 0 ? 0 : util.sizeFromShape(x.shape) / channels;
  const perChannel = (t?: TensorInfo) => t === undefined || (t.shape.length === 1 && t.shape[0] === channels);
  if (!allFloat32(x, scale, offset) || rows === 0 || !perChannel(scale) || !perChannel(offset)) {
    throw new Error(`${BATCH_NORM_TRAIN}: x must be non-empty float32 with per-channel scale and offset, got x [${x.shape.join(', ')}]`);
  }
  const outputs = [output(backend, [...x.shape]), output(backend, [channels]), output(backend, [channels])];
  const [y, mean, variance] = outputs.map((t) => offsetOf(backend, t)) as [number, number, number];
  addon().batchNormTrain(
    heapOf(backend),
    offsetOf(backend, x),
    scale ? offsetOf(backend, scale) : -1,
    offset ? offsetOf(backend, offset) : -1,
    y,
    mean,
    variance,
    rows,
    channels,
    attrs.varianceEpsilon,
    1 / rows,
  );
  return outputs;
});
