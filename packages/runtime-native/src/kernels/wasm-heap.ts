import { util, type DataType, type KernelBackend, type TensorInfo } from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` that the native kernels use. */
export interface WasmBackend extends KernelBackend {
  wasm: { HEAPU8: Uint8Array };
  dataIdMap: { get(dataId: object): { memoryOffset: number | null } | undefined };
  makeOutput(shape: number[], dtype: DataType): TensorInfo;
}

/** The byte offset of a tensor's data in the wasm heap. */
export function offsetOf(backend: WasmBackend, t: TensorInfo): number {
  const offset = backend.dataIdMap.get(t.dataId)?.memoryOffset;
  if (offset == null) throw new Error(`tensor of shape [${t.shape.join(', ')}] has no data in the wasm heap`);
  return offset;
}

/**
 * The heap's current buffer. Read it after every allocation of a kernel: an allocation may grow
 * the wasm memory, which replaces its buffer. (The inputs are in the heap before a kernel runs:
 * `nativeKernel` moves those of other backends first.)
 */
export function heapOf(backend: WasmBackend): ArrayBuffer {
  return backend.wasm.HEAPU8.buffer as ArrayBuffer;
}

/** Whether every tensor is float32 (the native kernels' only type). */
export function allFloat32(...ts: (TensorInfo | undefined)[]): boolean {
  return ts.every((t) => t === undefined || t.dtype === 'float32');
}

/** A float32 output, zero-sized tensors included. */
export function output(backend: WasmBackend, shape: number[]): TensorInfo {
  return backend.makeOutput(shape, 'float32');
}

export function size(t: TensorInfo): number {
  return util.sizeFromShape(t.shape);
}
