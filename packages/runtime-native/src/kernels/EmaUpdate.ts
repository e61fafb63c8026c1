import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** The kernel @frugal/core's weight average calls for one variable's step. */
export const EMA_UPDATE = 'FrugalEmaUpdate';

type Inputs = { shadow: TensorInfo; value: TensorInfo };
type Attrs = { decay: number };

/**
 * A weight average's step for one variable in one pass: shadow·decay + value·(1 − decay), each
 * operation rounded to float32 as tfjs's Multiply, Multiply and Add round it, so the numbers are theirs.
 */
export const emaUpdateConfig = nativeKernel<Inputs, Attrs>(EMA_UPDATE, ({ inputs, attrs, backend }) => {
  const { shadow, value } = inputs;
  if (!allFloat32(shadow, value) || !util.arraysEqual(shadow.shape, value.shape)) {
    throw new Error(`${EMA_UPDATE}: the average and the variable must be float32 of one shape, got [${shadow.shape.join(', ')}] and [${value.shape.join(', ')}]`);
  }
  const out = output(backend, [...shadow.shape]);
  const size = util.sizeFromShape(shadow.shape);
  if (size === 0) return out;
  addon().emaUpdate(heapOf(backend), offsetOf(backend, shadow), offsetOf(backend, value), offsetOf(backend, out), size, attrs.decay, 1 - attrs.decay);
  return out;
});
