import { Sum, type SumAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { originalWasmKernel } from './originals.js';
import { sumInDouble } from './sum-in-double.js';

/** Sum on wasm summed in float64 over leading or trailing axes (`sumInDouble`); tfjs-backend-wasm's kernel elsewhere. */
export function sum(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const out = sumInDouble(backend, inputs.x, attrs.axis, attrs.keepDims, false);
  if (out) return out;
  const original = originalWasmKernel(Sum);
  if (!original) throw new Error('Sum: tfjs-backend-wasm’s kernel was not found (is @tensorflow/tfjs-backend-wasm loaded?)');
  return original.kernelFunc(args as unknown as Parameters<KernelFunc>[0]) as TensorInfo;
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
  // tfjs-backend-wasm's kernel binds its wasm function in its set-up; it still runs, for the fallback.
  setupFunc: (backend) => originalWasmKernel(Sum)?.setupFunc?.(backend),
};
