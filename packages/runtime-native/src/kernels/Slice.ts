import { Slice, slice_util, util, type SliceAttrs, type SliceInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { heapOf, offsetOf } from './wasm-heap.js';

/**
 * A slice of a 4-byte tensor (float32, int32) as copies of its contiguous runs within the wasm heap
 * (a padding's gradient is a slice of a whole activation: one run per image row). Other dtypes go
 * to the wasm kernel.
 */
export const sliceConfig = nativeKernel<SliceInputs, SliceAttrs>(Slice, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const [begin, size] = slice_util.parseSliceParams(x, attrs.begin, attrs.size);
  const out = backend.makeOutput(size, x.dtype);
  const total = util.sizeFromShape(size);
  if (total === 0) return out;
  const shape = x.shape;
  const rank = shape.length;
  // The innermost axis the slice does not take whole: every run spans it and the axes after it.
  let axis = rank - 1;
  while (axis > 0 && size[axis] === shape[axis] && begin[axis] === 0) axis--;
  const strides = util.computeStrides(shape);
  const stride = (k: number) => (k === rank - 1 ? 1 : strides[k]!);
  const run = size[axis]! * stride(axis);
  const heap = new Int32Array(heapOf(backend));
  let source = offsetOf(backend, x) / 4 + begin.reduce((sum, b, k) => sum + b * stride(k), 0);
  let target = offsetOf(backend, out) / 4;
  const index = new Array<number>(axis).fill(0);
  for (let copied = 0; copied < total; copied += run) {
    heap.copyWithin(target, source, source + run);
    target += run;
    // The next run: an odometer over the outer axes.
    let k = axis - 1;
    for (; k >= 0; k--) {
      source += stride(k);
      if (++index[k]! < size[k]!) break;
      source -= size[k]! * stride(k);
      index[k] = 0;
    }
  }
  return out;
});
