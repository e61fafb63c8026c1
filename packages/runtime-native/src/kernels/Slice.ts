import { Slice, slice_util, util, type SliceAttrs, type SliceInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { copyRuns } from './copy-runs.js';
import { offsetOf, type WasmBackend } from './wasm-heap.js';

/**
 * A slice of a 4-byte tensor (float32, int32) as the addon's copies of its contiguous runs within
 * the wasm heap (a padding's gradient is a slice of a whole activation: one run per image row).
 * Other dtypes go to the wasm kernel.
 */
export const sliceConfig = nativeKernel<SliceInputs, SliceAttrs>(Slice, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  return sliceOf(backend, x, begin, size);
});

/** The block of a float32 or int32 tensor from `begin`, of `size`, as a new tensor (Slice, and each piece of SplitV). */
export function sliceOf(backend: WasmBackend, x: TensorInfo, begin: readonly number[], size: number[]): TensorInfo {
  const out = backend.makeOutput(size, x.dtype);
  if (util.sizeFromShape(size) === 0) return out;
  const shape = x.shape;
  const rank = shape.length;
  // The innermost axis the slice does not take whole: every run spans it and the axes after it.
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis] && begin[axis] === 0) axis--;
  const strides = [...util.computeStrides(shape), 1];
  const packed = [...util.computeStrides(size), 1];
  const source = offsetOf(backend, x) + 4 * begin.reduce((sum, b, k) => sum + b * strides[k]!, 0);
  copyRuns(backend, source, offsetOf(backend, out), {
    outer: size.slice(0, axis),
    sourceStrides: strides.slice(0, axis),
    targetStrides: packed.slice(0, axis),
    run: size[axis]! * strides[axis]!,
  });
  return out;
}
