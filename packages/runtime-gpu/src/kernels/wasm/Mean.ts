import { Mean, type MeanAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { originalWasmSetup, runOriginalWasmKernel } from './originals.js';
import { sumInDouble } from './sum-in-double.js';

/** Mean on wasm summed in float64 over leading or trailing axes (`sumInDouble`); tfjs-backend-wasm's kernel elsewhere. */
export function mean(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: MeanAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  return sumInDouble(backend, inputs.x, attrs.axis, attrs.keepDims, true) ?? runOriginalWasmKernel(Mean, args);
}

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: 'wasm',
  kernelFunc: mean as unknown as KernelFunc,
  setupFunc: originalWasmSetup(Mean),
};
