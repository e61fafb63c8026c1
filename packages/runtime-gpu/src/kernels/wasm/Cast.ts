import { Cast, type CastAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { runOriginalWasmKernel } from './originals.js';

/**
 * Cast on wasm: to the tensor's own dtype, the data is shared (one more reference) instead of
 * copied, as the cpu backend does; tf.moments and tfjs-layers' gradients cast every float32
 * activation to float32, which tfjs-backend-wasm copied (5% of a ResNet-20 step on the native
 * backend). Other casts go to tfjs-backend-wasm's kernel.
 */
export function cast(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: CastAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (attrs.dtype === x.dtype && x.dtype !== 'string') {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }
  return runOriginalWasmKernel(Cast, args);
}

export const castConfig: KernelConfig = {
  kernelName: Cast,
  backendName: 'wasm',
  kernelFunc: cast as unknown as KernelFunc,
};
