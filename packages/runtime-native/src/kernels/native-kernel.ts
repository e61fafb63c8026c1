import type { KernelConfig, KernelFunc, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './wasm-heap.js';

/** What a native kernel function gets; it returns null for a case it leaves to the wasm kernel. */
export interface NativeKernelArgs<I, A> {
  inputs: I;
  attrs: A;
  backend: WasmBackend;
}
export type NativeKernelFunc<I, A> = (args: NativeKernelArgs<I, A>) => TensorInfo | TensorInfo[] | null;

/** The wasm kernels the native ones replaced, by kernel name (the fallbacks). */
export const replaced = new Map<string, KernelConfig>();

/**
 * Moves every input whose data lives on another backend (a tensor made before the backend changed)
 * into the wasm heap. The move happens at a tensor's first lookup and allocates, which may grow the
 * heap and replace its buffer: done here, before the kernel reads the heap, no lookup inside the
 * kernel allocates.
 */
function bringIntoHeap(backend: WasmBackend, inputs: NamedTensorInfoMap): void {
  for (const input of Object.values(inputs)) if (input) backend.dataIdMap.get(input.dataId);
}

/**
 * A kernel registered over the wasm backend: `func` reads and writes the wasm heap through the
 * addon; where it returns null (a dtype or layout it does not handle) the wasm kernel it replaced
 * runs instead.
 */
export function nativeKernel<I, A>(kernelName: string, func: NativeKernelFunc<I, A>): KernelConfig {
  const kernelFunc = (args: { inputs: NamedTensorInfoMap; attrs: NamedAttrMap; backend: unknown }) => {
    bringIntoHeap(args.backend as WasmBackend, args.inputs);
    const out = func(args as unknown as NativeKernelArgs<I, A>);
    if (out !== null) return out;
    const fallback = replaced.get(kernelName);
    if (!fallback) throw new Error(`${kernelName}: the native kernel does not handle this case and the wasm backend has no kernel for it`);
    return fallback.kernelFunc(args as Parameters<KernelFunc>[0]);
  };
  return { kernelName, backendName: 'wasm', kernelFunc: kernelFunc as KernelFunc };
}
