import { engine, getBackend, getKernel, util, type GradConfig, type KernelConfig, type NamedAttrMap, type Tensor, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { runBinary } from './run-elementwise.js';

type Inputs = { dy: TensorInfo; x: TensorInfo };

/**
 * An activation's gradient as one kernel: the addon's element-wise `op` of dy and x (float32, of one
 * shape) in one threaded pass, where tfjs runs several kernels. `bounds` reads the op's two numbers
 * from the kernel's attributes (ClipByValue's bounds).
 */
export function activationGradKernel<A extends object = object>(kernelName: string, op: number, bounds?: (attrs: A) => [number, number]): KernelConfig {
  return nativeKernel<Inputs, A>(kernelName, ({ inputs, attrs, backend }) => {
    const { dy, x } = inputs;
    const out = util.arraysEqual(dy.shape, x.shape) ? runBinary(backend, op, dy, x, bounds?.(attrs)) : null;
    if (out === null && util.sizeFromShape(x.shape) > 0) {
      throw new Error(`${kernelName}: dy and x must be float32 of one shape, got [${dy.shape.join(', ')}] and [${x.shape.join(', ')}]`);
    }
    return out ?? backend.makeOutput([...x.shape], 'float32');
  });
}

/**
 * The gradient of the forward kernel `forward` with respect to its input x: the one kernel
 * `kernelName` where the backend has it, else `tfjs` (tfjs's own ops, which give the same numbers).
 */
export function activationGradConfig(forward: string, kernelName: string, tfjs: (dy: Tensor, x: Tensor, attrs: NamedAttrMap) => Tensor): GradConfig {
  return {
    kernelName: forward,
    inputsToSave: ['x'],
    gradFunc: (dy, saved, attrs) => {
      const [x] = saved as [Tensor];
      const g = dy as Tensor;
      const oneKernel = getKernel(kernelName, getBackend()) !== undefined && g.dtype === 'float32' && x.dtype === 'float32';
      return { x: () => (oneKernel ? (engine().runKernel(kernelName, { dy: g, x }, attrs) as Tensor) : tfjs(g, x, attrs)) };
    },
  };
}
