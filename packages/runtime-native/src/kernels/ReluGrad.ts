import { cast, engine, getBackend, getKernel, mul, Relu, step, util, type GradConfig, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { RELU_GRAD, runBinary } from './run-elementwise.js';

/** ReLU's gradient dy·step(x) as one kernel (tfjs runs Step, then Multiply). */
export const RELU_GRAD_KERNEL = 'FrugalReluGrad';

type Inputs = { dy: TensorInfo; x: TensorInfo };

/** dy·step(x) for float32 tensors of one shape, in one threaded pass. */
export const reluGradKernelConfig = nativeKernel<Inputs, object>(RELU_GRAD_KERNEL, ({ inputs, backend }) => {
  const { dy, x } = inputs;
  const out = util.arraysEqual(dy.shape, x.shape) ? runBinary(backend, RELU_GRAD, dy, x) : null;
  if (out === null && util.sizeFromShape(x.shape) > 0) {
    throw new Error(`${RELU_GRAD_KERNEL}: dy and x must be float32 of one shape, got [${dy.shape.join(', ')}] and [${x.shape.join(', ')}]`);
  }
  return out ?? backend.makeOutput([...x.shape], 'float32');
});

/**
 * ReLU's gradient: the one kernel where the backend has it, else tfjs's own Step and Multiply —
 * the same numbers either way.
 */
export const reluGradConfig: GradConfig = {
  kernelName: Relu,
  inputsToSave: ['x'],
  gradFunc: (dy, saved) => {
    const [x] = saved as [Tensor];
    const g = dy as Tensor;
    const oneKernel = getKernel(RELU_GRAD_KERNEL, getBackend()) !== undefined && g.dtype === 'float32' && x.dtype === 'float32';
    return { x: () => (oneKernel ? (engine().runKernel(RELU_GRAD_KERNEL, { dy: g, x }) as Tensor) : mul(g, cast(step(x), 'float32'))) };
  },
};
