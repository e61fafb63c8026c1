import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type Conv2DBackpropInputInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_BACKWARD_DATA, isChannelsLast, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** The gradient of a 2-D convolution with respect to its input (also the transposed convolution). */
export const conv2DBackpropInputConfig = nativeKernel<Conv2DBackpropInputInputs, Conv2DBackpropInputAttrs>(
  Conv2DBackpropInput,
  ({ inputs, attrs, backend }) => {
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    if (!allFloat32(dy, filter) || !isChannelsLast(attrs.dataFormat)) return null;
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (!nonEmpty(info) || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return null;
    return runConv(backend, info, CONV_BACKWARD_DATA, dy, filter, [...attrs.inputShape]);
  },
);
