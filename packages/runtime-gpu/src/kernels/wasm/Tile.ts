import { Tile, util, type KernelConfig, type KernelFunc, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';

type Values = Float32Array | Int32Array | Uint8Array;

/**
 * Tile on wasm as block copies in the wasm heap (`copyWithin`, doubling), instead of
 * tfjs-backend-wasm's per-element loop. BatchNorm's gradient tiles a [1, 1, 1, C] tensor to the
 * full activation shape at every layer, which made Tile the largest kernel of a training step.
 */
export function tile(args: { inputs: { x: TensorInfo }; backend: WasmBackend; attrs: TileAttrs }): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x } = inputs;
  if (x.dtype === 'string') throw new Error('Tile of string tensors is not supported on wasm');
  const reps = attrs.reps;
  const outShape = x.shape.map((size, i) => size * (reps[i] ?? 1));
  const out = backend.makeOutput(outShape, x.dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const src = backend.typedArrayFromHeap(x) as Values;
  const dst = backend.typedArrayFromHeap(out) as Values;
  tileInto(src, x.shape, reps, dst);
  return out;
}

/** Writes `src` (of `shape`) tiled `reps` times into `dst`. */
export function tileInto(src: Values, shape: readonly number[], reps: readonly number[], dst: Values): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0]!;
    return;
  }
  const srcStrides = new Array<number>(rank);
  const outBlock = new Array<number>(rank); // elements of the output below one index of dim d
  srcStrides[rank - 1] = 1;
  outBlock[rank - 1] = 1;
  for (let d = rank - 2; d >= 0; d--) {
    srcStrides[d] = srcStrides[d + 1]! * shape[d + 1]!;
    outBlock[d] = outBlock[d + 1]! * shape[d + 1]! * reps[d + 1]!;
  }
  const fill = (d: number, srcOffset: number, dstOffset: number): void => {
    const size = shape[d]!;
    if (d === rank - 1) {
      dst.set(src.subarray(srcOffset, srcOffset + size), dstOffset);
    } else {
      for (let i = 0; i < size; i++) fill(d + 1, srcOffset + i * srcStrides[d]!, dstOffset + i * outBlock[d]!);
    }
    replicate(dst, dstOffset, size * outBlock[d]!, reps[d]!);
  };
  fill(0, 0, 0);
}

/** Repeats `dst[offset, offset + length)` `times` times in place, doubling the copied run each time. */
function replicate(dst: Values, offset: number, length: number, times: number): void {
  const total = length * times;
  let filled = length;
  while (filled < total) {
    const n = Math.min(filled, total - filled);
    dst.copyWithin(offset + filled, offset, offset + n);
    filled += n;
  }
}

export const tileConfig: KernelConfig = {
  kernelName: Tile,
  backendName: 'wasm',
  kernelFunc: tile as unknown as KernelFunc,
};
