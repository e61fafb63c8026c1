import { PadV2, util, type PadV2Attrs, type PadV2Inputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { copyRuns } from './copy-runs.js';
import { heapOf, offsetOf } from './wasm-heap.js';

/**
 * Constant padding of a 4-byte tensor (float32, int32) within the wasm heap: the output filled
 * with the constant, then the input copied in as its contiguous runs by the addon (a convolution's
 * explicit padding: one run per image row). Other dtypes go to the wasm kernel.
 */
export const padV2Config = nativeKernel<PadV2Inputs, PadV2Attrs>(PadV2, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const shape = x.shape;
  const paddings = attrs.paddings;
  const outShape = shape.map((d, k) => paddings[k]![0] + d + paddings[k]![1]);
  const out = backend.makeOutput(outShape, x.dtype);
  const total = util.sizeFromShape(outShape);
  if (total === 0) return out;
  const target = offsetOf(backend, out);
  const values = x.dtype === 'float32' ? new Float32Array(heapOf(backend)) : new Int32Array(heapOf(backend));
  values.fill(attrs.constantValue, target / 4, target / 4 + total);
  if (util.sizeFromShape(shape) === 0) return out;
  // The innermost padded axis: every run spans it and the (unpadded) axes after it.
  let axis = shape.length - 1;
  while (axis > 0 && paddings[axis]![0] === 0 && paddings[axis]![1] === 0) axis--;
  const strides = [...util.computeStrides(shape), 1];
  const outStrides = [...util.computeStrides(outShape), 1];
  copyRuns(backend, offsetOf(backend, x), target + 4 * paddings.reduce((sum, [before], k) => sum + before * outStrides[k]!, 0), {
    outer: shape.slice(0, axis),
    sourceStrides: strides.slice(0, axis),
    targetStrides: outStrides.slice(0, axis),
    run: shape[axis]! * strides[axis]!,
  });
  return out;
});
