import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { nativeKernel } from './native-kernel.js';
import { allFloat32, heapOf, offsetOf, output } from './wasm-heap.js';

/** The kernel @frugal/core's SGD calls for one variable's update. */
export const SGD_UPDATE = 'FrugalSgdUpdate';

type Inputs = { variable: TensorInfo; grad: TensorInfo; momentumBuffer?: TensorInfo };
type Attrs = { lr: number; momentum: number; weightDecay: number; nesterov: boolean };

const MOMENTUM = 1;
const FIRST_STEP = 2;
const NESTEROV = 4;
const DECAY = 8;

/**
 * torch.optim.SGD's step for one variable in one pass: [new value] or, with momentum > 0,
 * [new value, new momentum buffer] (no `momentumBuffer` input: the first step). Each operation is
 * rounded to float32 as tfjs's kernels round it, so the numbers are theirs.
 */
export const sgdUpdateConfig = nativeKernel<Inputs, Attrs>(SGD_UPDATE, ({ inputs, attrs, backend }) => {
  const { variable, grad, momentumBuffer } = inputs;
  const sameShape = (t?: TensorInfo) => t === undefined || util.arraysEqual(t.shape, variable.shape);
  if (!allFloat32(variable, grad, momentumBuffer) || !sameShape(grad) || !sameShape(momentumBuffer)) {
    throw new Error(`${SGD_UPDATE}: the variable, its gradient and its momentum buffer must be float32 of one shape, got [${variable.shape.join(', ')}]`);
  }
  const withMomentum = attrs.momentum > 0;
  const outputs = withMomentum ? [output(backend, [...variable.shape]), output(backend, [...variable.shape])] : [output(backend, [...variable.shape])];
  const flags = (withMomentum ? MOMENTUM : 0) | (momentumBuffer ? 0 : FIRST_STEP) | (attrs.nesterov ? NESTEROV : 0) | (attrs.weightDecay > 0 ? DECAY : 0);
  const size = util.sizeFromShape(variable.shape);
  if (size === 0) return outputs;
  addon().sgdUpdate(
    heapOf(backend),
    offsetOf(backend, variable),
    offsetOf(backend, grad),
    momentumBuffer ? offsetOf(backend, momentumBuffer) : -1,
    offsetOf(backend, outputs[0]!),
    withMomentum ? offsetOf(backend, outputs[1]!) : -1,
    size,
    attrs.lr,
    attrs.momentum,
    attrs.weightDecay,
    flags,
  );
  return outputs;
});
