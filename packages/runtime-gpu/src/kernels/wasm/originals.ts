import type { KernelConfig, KernelFunc, KernelSetupFunc, TensorInfo } from '@tensorflow/tfjs-core';

/** tfjs-backend-wasm's own kernels that ours replaced, by kernel name. */
const originals = new Map<string, KernelConfig>();

export function rememberOriginalWasmKernel(config: KernelConfig): void {
  if (!originals.has(config.kernelName)) originals.set(config.kernelName, config);
}

/** Runs tfjs-backend-wasm's own kernel `name` on `args`, for the cases ours leave to it. */
export function runOriginalWasmKernel(name: string, args: object): TensorInfo {
  const original = originals.get(name);
  if (!original) throw new Error(`${name}: tfjs-backend-wasm’s kernel was not found (is @tensorflow/tfjs-backend-wasm loaded?)`);
  return original.kernelFunc(args as Parameters<KernelFunc>[0]) as TensorInfo;
}

/**
 * The set-up of tfjs-backend-wasm's kernel `name` (where it binds its wasm function), for a kernel of
 * ours that falls back to it: the backend runs ours at start, so theirs still runs.
 */
export function originalWasmSetup(name: string): KernelSetupFunc {
  return (backend) => originals.get(name)?.setupFunc?.(backend);
}
