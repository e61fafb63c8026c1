import { Identity, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { runOriginalWasmKernel } from './originals.js';

/**
 * Identity on wasm sharing the data (one more reference) instead of copying it, as the cpu backend
 * does: tensors are immutable, and the engine clones every tensor it saves for the backward pass —
 * about fifty million floats per ResNet-20 training step that tfjs-backend-wasm copied.
 */
export function identity(args: { inputs: { x: TensorInfo }; backend: WasmBackend }): TensorInfo {
  const { inputs, backend } = args;
  const { x } = inputs;
  if (x.dtype === 'string') {
    return runOriginalWasmKernel(Identity, args);
  }
  backend.incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}

export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: 'wasm',
  kernelFunc: identity as unknown as KernelFunc,
};
