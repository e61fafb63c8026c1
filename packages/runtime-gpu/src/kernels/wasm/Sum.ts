import { Sum, type SumAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { originalWasmSetup, runOriginalWasmKernel } from './originals.js';
import { sumInDouble } from './sum-in-double.js';

/** Sum on wasm summed in float64 over leading or trailing axes (`sumInDouble`); tfjs-backend-wasm's kernel elsewhere. */
export function sum(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: SumAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return sumInDouble(backend, inputs.x, attrs.axis, attrs.keepDims, false) ?? runOriginalWasmKernel(Sum, args);
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: 'wasm',
  kernelFunc: sum as unknown as KernelFunc,
  setupFunc: originalWasmSetup(Sum),
};
