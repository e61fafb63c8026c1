import {
  DepthwiseConv2dNative,
  type DepthwiseConv2dNativeAttrs,
  type DepthwiseConv2dNativeInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { CONV_FORWARD, forwardInfo, isChannelsLast, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** A depthwise convolution (filter [fh, fw, C, multiplier]) as a grouped oneDNN convolution. */
export const depthwiseConv2dNativeConfig = nativeKernel<DepthwiseConv2dNativeInputs, DepthwiseConv2dNativeAttrs>(
  DepthwiseConv2dNative,
  ({ inputs, attrs, backend }) => {
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    if (!allFloat32(x, filter) || !isChannelsLast(attrs.dataFormat)) return null;
    const info = forwardInfo(x, filter, attrs, true);
    if (!nonEmpty(info)) return null;
    return runConv(backend, info, CONV_FORWARD, x, filter, info.outShape, { depthwise: true });
  },
);
