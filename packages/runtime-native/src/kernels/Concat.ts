import { backend_util, Concat, util, type ConcatAttrs, type ConcatInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { copyRuns } from './copy-runs.js';
import { nativeKernel } from './native-kernel.js';
import { offsetOf } from './wasm-heap.js';

/**
 * Float32 or int32 tensors of one dtype joined along an axis, each copied into its place in runs
 * by the addon (an inception block's branches, joined on the channel axis).
 */
export const concatConfig = nativeKernel<ConcatInputs, ConcatAttrs>(Concat, ({ inputs, attrs, backend }) => {
  const xs = inputs as unknown as TensorInfo[];
  const dtype = xs[0]?.dtype;
  if ((dtype !== 'float32' && dtype !== 'int32') || xs.some((x) => x.dtype !== dtype)) return null;
  const axis = util.parseAxisParam(attrs.axis, xs[0]!.shape)[0]!;
  const outShape = backend_util.computeOutShape(xs.map((x) => x.shape), axis);
  const out = backend.makeOutput(outShape, dtype);
  if (util.sizeFromShape(outShape) === 0) return out;
  const outStrides = [...util.computeStrides(outShape), 1];
  let at = 0;
  for (const x of xs) {
    if (util.sizeFromShape(x.shape) > 0) {
      const strides = [...util.computeStrides(x.shape), 1];
      copyRuns(backend, offsetOf(backend, x), offsetOf(backend, out) + 4 * at * outStrides[axis]!, {
        outer: x.shape.slice(0, axis),
        sourceStrides: strides.slice(0, axis),
        targetStrides: outStrides.slice(0, axis),
        run: x.shape[axis]! * strides[axis]!,
      });
    }
    at += x.shape[axis]!;
  }
  return out;
});
