import {
  FusedDepthwiseConv2D,
  util,
  type FusedDepthwiseConv2DAttrs,
  type FusedDepthwiseConv2DInputs,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { ACTIVATIONS, CONV_FORWARD, forwardInfo, isChannelsLast, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** A depthwise convolution with its bias and activation in the same pass. */
export const fusedDepthwiseConv2DConfig = nativeKernel<FusedDepthwiseConv2DInputs, FusedDepthwiseConv2DAttrs>(
  FusedDepthwiseConv2D,
  ({ inputs, attrs, backend }) => {
    const x = inputs.x as TensorInfo;
    const filter = inputs.filter as TensorInfo;
    const bias = inputs.bias as TensorInfo | undefined;
    const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
    if (activation === undefined || !allFloat32(x, filter, bias) || !isChannelsLast(attrs.dataFormat)) return null;
    const info = forwardInfo(x, filter, attrs, true);
    if (!nonEmpty(info) || (bias && util.sizeFromShape(bias.shape) !== info.outChannels)) return null;
    return runConv(backend, info, CONV_FORWARD, x, filter, info.outShape, {
      depthwise: true,
      bias,
      activation,
      alpha: attrs.leakyreluAlpha ?? 0.2,
    });
  },
);
