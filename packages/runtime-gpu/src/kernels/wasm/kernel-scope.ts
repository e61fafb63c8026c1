import {
  getKernel,
  type DataType,
  type KernelBackend,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';

/** The parts of tfjs-backend-wasm's `BackendWasm` that the kernels here use. */
export interface WasmBackend extends KernelBackend {
  disposeData(dataId: object, force?: boolean): boolean;
  incRef(dataId: object): void;
  makeOutput(shape: number[], dtype: DataType, memoryOffset?: number): TensorInfo;
  typedArrayFromHeap(info: TensorInfo): Float32Array | Int32Array | Uint8Array;
}

/**
 * Runs wasm kernels one after another inside a kernel of our own, keeping track of every
 * intermediate so that all but the result are released. Kernels are called directly (not through
 * the engine), so nothing is recorded on the gradient tape and no engine tensor is created.
 */
export class KernelScope {
  private readonly temps: TensorInfo[] = [];

  constructor(readonly backend: WasmBackend) {}

  /** Calls the wasm kernel `name`; the output is released when the scope ends unless kept. */
  run(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap = {}): TensorInfo {
    const out = callWasmKernel(this.backend, name, inputs, attrs);
    if (Array.isArray(out)) throw new Error(`Kernel ${name} returned ${out.length} tensors where one was expected`);
    this.temps.push(out);
    return out;
  }

  /** Registers a tensor made outside `run` (e.g. with `backend.makeOutput`) as an intermediate. */
  track(info: TensorInfo): TensorInfo {
    this.temps.push(info);
    return info;
  }

  reshape(x: TensorInfo, shape: number[]): TensorInfo {
    return this.run('Reshape', { x }, { shape });
  }
  transpose(x: TensorInfo, perm: number[]): TensorInfo {
    return this.run('Transpose', { x }, { perm });
  }
  slice(x: TensorInfo, begin: number[], size: number[]): TensorInfo {
    return this.run('Slice', { x }, { begin, size });
  }
  pad(x: TensorInfo, paddings: [number, number][]): TensorInfo {
    return this.run('PadV2', { x }, { paddings, constantValue: 0 });
  }
  reverse(x: TensorInfo, dims: number[]): TensorInfo {
    return this.run('Reverse', { x }, { dims });
  }
  sum(x: TensorInfo, axis: number[]): TensorInfo {
    return this.run('Sum', { x }, { axis, keepDims: false });
  }

  /** Ends the scope: releases every intermediate except `result` (which may be one of them). */
  finish(result: TensorInfo): TensorInfo {
    let kept = false;
    for (const t of this.temps) {
      if (!kept && t === result) {
        kept = true;
        continue;
      }
      this.backend.disposeData(t.dataId);
    }
    this.temps.length = 0;
    return result;
  }

  /** Releases every intermediate (on error). */
  dispose(): void {
    for (const t of this.temps) this.backend.disposeData(t.dataId);
    this.temps.length = 0;
  }
}

/** Calls a kernel registered for the wasm backend by name, with no engine bookkeeping. */
export function callWasmKernel(
  backend: WasmBackend,
  name: string,
  inputs: NamedTensorInfoMap,
  attrs: NamedAttrMap = {},
): TensorInfo | TensorInfo[] {
  const kernel = getKernel(name, 'wasm');
  if (!kernel) throw new Error(`Kernel '${name}' is not registered for backend 'wasm'`);
  return kernel.kernelFunc({ inputs, attrs, backend });
}

/** Runs `body` in a fresh scope; intermediates are released whether it returns or throws. */
export function withScope(backend: WasmBackend, body: (k: KernelScope) => TensorInfo): TensorInfo {
  const scope = new KernelScope(backend);
  try {
    return scope.finish(body(scope));
  } catch (error) {
    scope.dispose();
    throw error;
  }
}
