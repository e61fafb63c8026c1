import {
  backend_util,
  Conv2DBackpropFilter,
  type Conv2DBackpropFilterAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { explicitPadding, isChannelsFirst, pair, TO_CHANNELS_LAST, type Pad } from './conv-geometry.js';
import { withScope, type WasmBackend } from './kernel-scope.js';

/**
 * The filter gradient of a 2-D convolution, as one convolution on the wasm backend (XNNPACK):
 *
 *   dW[i, j, ci, co] = sum over n, ho, wo of x[n, ho*s + i*d - pad, wo*s + j*d - pad, ci] * dy[n, ho, wo, co]
 *
 * is the convolution of x transposed to [Cin, H, W, N] (batch Cin, channels N) with dy transposed to
 * [Ho, Wo, N, Cout] (a filter of size Ho×Wo) at stride d and dilation s — stride and dilation trade
 * places. The result [Cin, fh, fw, Cout] is transposed to the filter layout [fh, fw, Cin, Cout].
 */
export function conv2DBackpropFilter(args: {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropFilterAttrs & { dilations?: number | [number, number] };
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs;
  return withScope(backend, (k) => {
    const channelsFirst = isChannelsFirst(dataFormat);
    const x = channelsFirst ? k.transpose(inputs.x, TO_CHANNELS_LAST) : inputs.x;
    const dy = channelsFirst ? k.transpose(inputs.dy, TO_CHANNELS_LAST) : inputs.dy;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filterShape,
      strides,
      attrs.dilations ?? 1,
      pad as Pad,
      dimRoundingMode,
      false,
      'channelsLast',
    );
    const { inHeight, inWidth, inChannels, outHeight, outWidth, outChannels, filterHeight, filterWidth } = info;
    const [strideH, strideW] = [info.strideHeight, info.strideWidth];
    const [dilationH, dilationW] = pair([info.dilationHeight, info.dilationWidth]);
    const { top, left } = info.padInfo;
    // Padding after the input such that the output has at least filterHeight × filterWidth taps.
    // When the forward pass never read the last rows/columns the convolution yields extra taps,
    // which are cut from its (small) result rather than cropping the (large) input.
    const bottom = Math.max((filterHeight - 1) * dilationH + (outHeight - 1) * strideH + 1 - inHeight - top, 0);
    const right = Math.max((filterWidth - 1) * dilationW + (outWidth - 1) * strideW + 1 - inWidth - left, 0);
    const xT = k.transpose(x, [3, 1, 2, 0]); // [Cin, H, W, N]
    const dyT = k.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, N, Cout]
    const conv = k.run(
      'Conv2D',
      { x: xT, filter: dyT },
      {
        strides: [dilationH, dilationW],
        dilations: [strideH, strideW],
        pad: explicitPadding(top, bottom, left, right),
        dataFormat: 'NHWC',
      },
    ); // [Cin, fh, fw, Cout]
    const [, tapsH, tapsW] = conv.shape as [number, number, number, number];
    if (tapsH < filterHeight || tapsW < filterWidth) {
      throw new Error(
        `Conv2DBackpropFilter: composed convolution gave shape [${conv.shape.join(', ')}], expected at least [${inChannels}, ${filterHeight}, ${filterWidth}, ${outChannels}]`,
      );
    }
    const taps = tapsH === filterHeight && tapsW === filterWidth ? conv : k.slice(conv, [0, 0, 0, 0], [inChannels, filterHeight, filterWidth, outChannels]);
    return k.transpose(taps, [1, 2, 0, 3]);
  });
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropFilter as unknown as KernelFunc,
};
