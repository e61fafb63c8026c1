import {
  backend_util,
  DepthwiseConv2dNativeBackpropInput,
  type DepthwiseConv2dNativeBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { explicitPadding, type Pad } from './conv-geometry.js';
import { cropNegativePadding, dilateSpatial } from './dilate.js';
import { withScope, type WasmBackend } from './kernel-scope.js';

/**
 * The input gradient of a depthwise convolution as one stride-1 depthwise convolution on the wasm
 * backend: dy spread `stride` apart, the filter rotated 180° and laid out as [fh, fw, Cin*M, 1]
 * (one output channel per dy channel), then the M outputs of each input channel summed.
 */
export function depthwiseConv2dNativeBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs;
  return withScope(backend, (k) => {
    const filterShape = inputs.filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(
      inputShape,
      filterShape,
      strides,
      dilations,
      pad as Pad,
      dimRoundingMode,
      true,
      'channelsLast',
    );
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, strideHeight, strideWidth } = info;
    const multiplier = filterShape[3];
    const spread = dilateSpatial(k, inputs.dy, strideHeight, strideWidth);
    const top = info.effectiveFilterHeight - 1 - info.padInfo.top;
    const left = info.effectiveFilterWidth - 1 - info.padInfo.left;
    const bottom = inHeight - outHeight * strideHeight + info.padInfo.top;
    const right = inWidth - outWidth * strideWidth + info.padInfo.left;
    const cropped = cropNegativePadding(k, spread, top, bottom, left, right);
    const flipped = k.reshape(k.reverse(inputs.filter, [0, 1]), [filterShape[0], filterShape[1], inChannels * multiplier, 1]);
    const perOutput = k.run(
      'DepthwiseConv2dNative',
      { x: cropped.x, filter: flipped },
      {
        strides: [1, 1],
        dilations: [info.dilationHeight, info.dilationWidth],
        pad: explicitPadding(cropped.top, cropped.bottom, cropped.left, cropped.right),
        dataFormat: 'NHWC',
      },
    );
    if (multiplier === 1) return perOutput;
    return k.sum(k.reshape(perOutput, [batchSize, inHeight, inWidth, inChannels, multiplier]), [4]);
  });
}

export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropInput as unknown as KernelFunc,
};
