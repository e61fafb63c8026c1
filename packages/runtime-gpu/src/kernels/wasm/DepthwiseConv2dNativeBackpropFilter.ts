import {
  backend_util,
  DepthwiseConv2dNativeBackpropFilter,
  type DepthwiseConv2dNativeBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type NamedTensorInfoMap,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import type { Pad } from './conv-geometry.js';
import { withScope, type WasmBackend } from './kernel-scope.js';

/**
 * The filter gradient of a depthwise convolution, one filter tap at a time on the wasm backend:
 * dW[i, j, c, m] = sum over n, ho, wo of x[n, ho*s + i*d - pad, wo*s + j*d - pad, c] * dy[n, ho, wo, c*M + m]
 * — a strided slice of the padded input per tap, multiplied by dy and summed over N, Ho, Wo.
 */
export function depthwiseConv2dNativeBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackend;
  attrs: DepthwiseConv2dNativeBackpropFilterAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs;
  return withScope(backend, (k) => {
    const xShape = inputs.x.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, dilations, pad as Pad, dimRoundingMode, true, 'channelsLast');
    const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
    const [strideH, strideW, dilationH, dilationW] = [info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth];
    const multiplier = filterShape[3];
    const { top, left } = info.padInfo;
    const needH = (filterHeight - 1) * dilationH + (outHeight - 1) * strideH + 1;
    const needW = (filterWidth - 1) * dilationW + (outWidth - 1) * strideW + 1;
    const padded = k.pad(inputs.x, [
      [0, 0],
      [top, Math.max(needH - inHeight - top, 0)],
      [left, Math.max(needW - inWidth - left, 0)],
      [0, 0],
    ]);
    const dy = multiplier === 1 ? inputs.dy : k.reshape(inputs.dy, [batchSize, outHeight, outWidth, inChannels, multiplier]);
    const taps: TensorInfo[] = [];
    for (let i = 0; i < filterHeight; i++) {
      for (let j = 0; j < filterWidth; j++) {
        const window = k.run(
          'StridedSlice',
          { x: padded },
          {
            begin: [0, i * dilationH, j * dilationW, 0],
            end: [batchSize, i * dilationH + (outHeight - 1) * strideH + 1, j * dilationW + (outWidth - 1) * strideW + 1, inChannels],
            strides: [1, strideH, strideW, 1],
            beginMask: 0,
            endMask: 0,
            ellipsisMask: 0,
            newAxisMask: 0,
            shrinkAxisMask: 0,
          },
        );
        const aligned = multiplier === 1 ? window : k.reshape(window, [batchSize, outHeight, outWidth, inChannels, 1]);
        taps.push(k.sum(k.run('Multiply', { a: aligned, b: dy }), [0, 1, 2]));
      }
    }
    const stacked = k.run('Pack', taps as unknown as NamedTensorInfoMap, { axis: 0 }) // Pack takes a list;
    return k.reshape(stacked, [filterHeight, filterWidth, inChannels, multiplier]);
  });
}

export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: 'wasm',
  kernelFunc: depthwiseConv2dNativeBackpropFilter as unknown as KernelFunc,
};
