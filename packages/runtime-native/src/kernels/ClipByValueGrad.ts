import { ClipByValue, engine, getBackend, getKernel, greaterEqual, lessEqual, logicalAnd, util, where, zerosLike, type ClipByValueAttrs, type GradConfig, type NamedAttrMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { CLIP_GRAD, runBinary } from './run-elementwise.js';

/**
 * ClipByValue's gradient, dy where min ≤ x ≤ max and 0 elsewhere, as one kernel (tfjs runs
 * GreaterEqual, LessEqual, LogicalAnd, ZerosLike and Select): the gradient of ReLU6, which
 * tfjs-layers' `reLU({ maxValue: 6 })` clips to.
 */
export const CLIP_GRAD_KERNEL = 'FrugalClipByValueGrad';

type Inputs = { dy: TensorInfo; x: TensorInfo };

/** dy where min ≤ x ≤ max, else 0, for float32 tensors of one shape, in one threaded pass. */
export const clipGradKernelConfig = nativeKernel<Inputs, ClipByValueAttrs>(CLIP_GRAD_KERNEL, ({ inputs, attrs, backend }) => {
  const { dy, x } = inputs;
  const out = util.arraysEqual(dy.shape, x.shape) ? runBinary(backend, CLIP_GRAD, dy, x, [attrs.clipValueMin, attrs.clipValueMax]) : null;
  if (out === null && util.sizeFromShape(x.shape) > 0) {
    throw new Error(`${CLIP_GRAD_KERNEL}: dy and x must be float32 of one shape, got [${dy.shape.join(', ')}] and [${x.shape.join(', ')}]`);
  }
  return out ?? backend.makeOutput([...x.shape], 'float32');
});

/** ClipByValue's gradient: the one kernel where the backend has it, else tfjs's own — the same numbers either way. */
export const clipGradConfig: GradConfig = {
  kernelName: ClipByValue,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    const { clipValueMin, clipValueMax } = attrs as unknown as ClipByValueAttrs;
    const oneKernel = getKernel(CLIP_GRAD_KERNEL, getBackend()) !== undefined && g.dtype === 'float32' && x.dtype === 'float32';
    return {
      x: () =>
        oneKernel
          ? (engine().runKernel(CLIP_GRAD_KERNEL, { dy: g, x }, { clipValueMin, clipValueMax } as unknown as NamedAttrMap) as Tensor)
          : where(logicalAnd(greaterEqual(x, clipValueMin), lessEqual(x, clipValueMax)), g, zerosLike(g)),
    };
  },
};
