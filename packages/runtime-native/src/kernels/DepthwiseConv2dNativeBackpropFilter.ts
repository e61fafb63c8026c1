import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type DepthwiseConv2dNativeBackpropFilterInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CONV_BACKWARD_WEIGHTS, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** The gradient of a depthwise convolution with respect to its filter. */
export const depthwiseConv2dNativeBackpropFilterConfig = nativeKernel<DepthwiseConv2dNativeBackpropFilterInputs, DepthwiseConv2dNativeBackpropFilterAttrs>(
  DepthwiseConv2dNativeBackpropFilter,
  ({ inputs, attrs, backend }) => {
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    if (!allFloat32(x, dy)) return null;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      attrs.dilations,
      attrs.pad,
      attrs.dimRoundingMode,
      true,
    );
    if (!nonEmpty(info) || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return null;
    return runConv(backend, info, CONV_BACKWARD_WEIGHTS, x, dy, [...attrs.filterShape], { depthwise: true });
  },
);
