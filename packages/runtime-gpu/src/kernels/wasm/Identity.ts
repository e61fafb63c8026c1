import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { originalWasmKernel } from './originals.js';

/**
 * Identity on wasm sharing the data (one more reference) instead of copying it, as the cpu backend
 * does: tensors are immutable, and the engine clones every tensor it saves for the backward pass —
 * about fifty million floats per ResNet-20 training step that tfjs-backend-wasm copied.
 */
export function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') {
    const original = originalWasmKernel(Identity);
    if (!original) throw new Error('Identity of string tensors needs tfjs-backend-wasm\'s own Identity kernel');
    return original.kernelFunc(args) as TensorInfo;
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
