import { Mean, type MeanAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { originalWasmKernel } from './originals.js';
import { sumInDouble } from './sum-in-double.js';

/** Mean on wasm summed in float64 over leading or trailing axes (`sumInDouble`); tfjs-backend-wasm's kernel elsewhere. */
export function mean(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const out = sumInDouble(backend, inputs.x, attrs.axis, attrs.keepDims, true);
  if (out) return out;
  const original = originalWasmKernel(Mean);
  if (!original) throw new Error('Mean: tfjs-backend-wasm’s kernel was not found (is @tensorflow/tfjs-backend-wasm loaded?)');
  return original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
  // tfjs-backend-wasm's kernel binds its wasm function in its set-up; it still runs, for the fallback.
  setupFunc: (backend) => originalWasmKernel(Mean)?.setupFunc?.(backend),
};
