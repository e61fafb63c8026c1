import type { KernelConfig } from '@tensorflow/tfjs-core';

/** tfjs-backend-wasm's own kernels that ours replaced, by kernel name. */
const originals = new Map<string, KernelConfig>();

export function rememberOriginalWasmKernel(config: KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, config);
}

export function originalWasmKernel(name: string): KernelConfig | undefined {
  return originals.get(name);
}
