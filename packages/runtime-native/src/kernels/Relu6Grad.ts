import { cast, engine, getBackend, getKernel, lessEqual, mul, Relu6, step, util, type GradConfig, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { RELU6_GRAD, runBinary } from './run-elementwise.js';

/**
 * Relu6's gradient dy·((x ≤ 6)·step(x)) as one kernel (tfjs runs LessEqual, Step, Multiply, Cast
 * and Multiply): the gradient inside hard-swish and hard-sigmoid.
 */
export const RELU6_GRAD_KERNEL = 'FrugalRelu6Grad';

type Inputs = { dy: TensorInfo; x: TensorInfo };

/** dy·((x ≤ 6)·step(x)) for float32 tensors of one shape, in one threaded pass. */
export const relu6GradKernelConfig = nativeKernel<Inputs, object>(RELU6_GRAD_KERNEL, ({ inputs, backend }) => {
  const { dy, x } = inputs;
  const out = util.arraysEqual(dy.shape, x.shape) ? runBinary(backend, RELU6_GRAD, dy, x) : null;
  if (out === null && util.sizeFromShape(x.shape) > 0) {
    throw new Error(`${RELU6_GRAD_KERNEL}: dy and x must be float32 of one shape, got [${dy.shape.join(', ')}] and [${x.shape.join(', ')}]`);
  }
  return out ?? backend.makeOutput([...x.shape], 'float32');
});

/** Relu6's gradient: the one kernel where the backend has it, else tfjs's own — the same numbers either way. */
export const relu6GradConfig: GradConfig = {
  kernelName: Relu6,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    const oneKernel = getKernel(RELU6_GRAD_KERNEL, getBackend()) !== undefined && g.dtype === 'float32' && x.dtype === 'float32';
    return { x: () => (oneKernel ? (engine().runKernel(RELU6_GRAD_KERNEL, { dy: g, x }) as Tensor) : mul(g, cast(mul(lessEqual(x, 6), step(x)), 'float32'))) };
  },
};
