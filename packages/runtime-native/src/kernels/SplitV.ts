import { backend_util, SplitV, util, type SplitVAttrs, type SplitVInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { nativeKernel } from './native-kernel.js';
import { sliceOf } from './Slice.js';

/**
 * The pieces of a float32 or int32 tensor along one axis, each a slice copied in runs by the
 * addon: the gradient of a concatenation (an inception block's branches). The wasm backend slices
 * them in its own loops, on one thread.
 */
export const splitVConfig = nativeKernel<SplitVInputs, SplitVAttrs>(SplitV, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const axis = util.parseAxisParam(attrs.axis, x.shape)[0]!;
  const sizes = backend_util.prepareSplitSize(x, attrs.numOrSizeSplits, axis);
  const begin = new Array<number>(x.shape.length).fill(0);
  return sizes.map((piece) => {
    const size = [...x.shape];
    size[axis] = piece;
    const out = sliceOf(backend, x, begin, size);
    begin[axis]! += piece;
    return out;
  });
});
