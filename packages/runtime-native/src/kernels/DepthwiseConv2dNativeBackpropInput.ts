import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type DepthwiseConv2dNativeBackpropInputInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CONV_BACKWARD_DATA, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** The gradient of a depthwise convolution with respect to its input. */
export const depthwiseConv2dNativeBackpropInputConfig = nativeKernel<DepthwiseConv2dNativeBackpropInputInputs, DepthwiseConv2dNativeBackpropInputAttrs>(
  DepthwiseConv2dNativeBackpropInput,
  ({ inputs, attrs, backend }) => {
    const dy = inputs.dy as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    if (!allFloat32(dy, filter)) return null;
    const info = backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    if (!nonEmpty(info) || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return null;
    return runConv(backend, info, CONV_BACKWARD_DATA, dy, filter, [...attrs.inputShape], { depthwise: true });
  },
);
