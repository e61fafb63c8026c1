import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type Conv2DBackpropFilterInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_BACKWARD_WEIGHTS, isChannelsLast, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** The gradient of a 2-D convolution with respect to its filter. */
export const conv2DBackpropFilterConfig = nativeKernel<Conv2DBackpropFilterInputs, Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] }>(
  Conv2DBackpropFilter,
  ({ inputs, attrs, backend }) => {
    const x = inputs.x as TensorInfo;
    const dy = inputs.dy as TensorInfo;
    if (!allFloat32(x, dy) || !isChannelsLast(attrs.dataFormat)) return null;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      attrs.filterShape,
      attrs.strides,
      attrs.dilations ?? 1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    if (!nonEmpty(info) || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return null;
    return runConv(backend, info, CONV_BACKWARD_WEIGHTS, x, dy, [...attrs.filterShape]);
  },
);
