import { Slice, slice_util, util, type KernelConfig, type KernelFunc, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';
import { runOriginalWasmKernel } from './originals.js';

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Slice of any rank as copies of contiguous runs in the wasm heap, the trailing dimensions taken
 * whole joined into one run. tfjs-backend-wasm copies ranks above 4 element by element in
 * JavaScript (through a TensorBuffer), which made the 6-D slice of the CIFAR ResNets' subsampling
 * shortcut half of a small network's training time, and ranks up to 4 one innermost row at a time:
 * cutting a batch's gradient [64, 29, 29, 16] back to [64, 28, 28, 16] (the gradient of a stride-2
 * convolution's PyTorch-style padding) took 6.3 ms there, 0.5 ms here. Strings, and slices that
 * are one run already, go to tfjs-backend-wasm's kernel.
 */
export function slice(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: SliceAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  if (x.dtype === 'string' || slice_util.isSliceContinous(x.shape, begin, size)) {
    return runOriginalWasmKernel(Slice, args);
  }
  const out = backend.makeOutput(size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  sliceInto(backend.typedArrayFromHeap(x) as Values, x.shape, begin, size, backend.typedArrayFromHeap(out) as Values);
  return out;
}

/** Writes the block of `src` (of `shape`) at `begin` of `size` into `dst`, row-major. */
export function sliceInto(src: Values, shape: readonly number[], begin: readonly number[], size: readonly number[], dst: Values): void {
  // Trailing dimensions taken whole join the innermost run.
  let inner = shape.length - 1;
  let run = size[inner]!;
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner]!;
  }
  const strides = util.computeStrides([...shape]);
  strides.push(1);
  const outer = size.slice(0, inner);
  const index = new Array<number>(inner).fill(0);
  const count = util.sizeFromShape(outer);
  let at = 0;
  for (let i = 0; i < count; i++) {
    let offset = begin[inner]! * strides[inner]!;
    for (let d = 0; d < inner; d++) offset += (begin[d]! + index[d]!) * strides[d]!;
    if (run < 32) {
      for (let k = 0; k < run; k++) dst[at + k] = src[offset + k]!;
    } else {
      dst.set(src.subarray(offset, offset + run), at);
    }
    at += run;
    for (let d = inner - 1; d >= 0; d--) {
      if (++index[d]! < outer[d]!) break;
      index[d] = 0;
    }
  }
}

export const sliceConfig: KernelConfig = {
  kernelName: Slice,
  backendName: 'wasm',
  kernelFunc: slice as unknown as KernelFunc,
};
