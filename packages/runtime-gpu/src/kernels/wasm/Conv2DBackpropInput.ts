import {
  backend_util,
  Conv2DBackpropInput,
  type Conv2DBackpropInputAttrs,
  type KernelConfig,
  type KernelFunc,
  type TensorInfo,
} from '@tensorflow/tfjs-core';
import { explicitPadding, isChannelsFirst, TO_CHANNELS_FIRST, TO_CHANNELS_LAST, toChannelsLastShape, type Pad } from './conv-geometry.js';
import { cropNegativePadding, dilateSpatial } from './dilate.js';
import { withScope, type WasmBackend } from './kernel-scope.js';

/**
 * The input gradient of a 2-D convolution (a transposed convolution) as one stride-1 convolution
 * on the wasm backend (XNNPACK), instead of tfjs-backend-wasm's own scalar loop:
 *
 *   dx = conv2d(dy spread `stride` apart with zeros, W rotated 180° with Cin and Cout swapped,
 *               padding fh-1-padTop before)
 */
export function conv2DBackpropInput(args: {
  inputs: { dy: TensorInfo; filter: TensorInfo };
  backend: WasmBackend;
  attrs: Conv2DBackpropInputAttrs;
}): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs;
  return withScope(backend, (k) => {
    const channelsFirst = isChannelsFirst(dataFormat);
    const dy = channelsFirst ? k.transpose(inputs.dy, TO_CHANNELS_LAST) : inputs.dy;
    const xShape = toChannelsLastShape(inputShape, channelsFirst);
    const filterShape = inputs.filter.shape as [number, number, number, number];
    const info = backend_util.computeConv2DInfo(xShape, filterShape, strides, 1, pad as Pad, dimRoundingMode, false, 'channelsLast');
    const { inHeight, inWidth, outHeight, outWidth, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const spread = dilateSpatial(k, dy, strideHeight, strideWidth);
    const top = filterHeight - 1 - info.padInfo.top;
    const left = filterWidth - 1 - info.padInfo.left;
    const bottom = inHeight - outHeight * strideHeight + info.padInfo.top;
    const right = inWidth - outWidth * strideWidth + info.padInfo.left;
    const cropped = cropNegativePadding(k, spread, top, bottom, left, right);
    const flipped = k.track(flipFilter(backend, inputs.filter)); // [fh, fw, Cout, Cin]
    const dx = k.run(
      'Conv2D',
      { x: cropped.x, filter: flipped },
      {
        strides: [1, 1],
        dilations: [1, 1],
        pad: explicitPadding(cropped.top, cropped.bottom, cropped.left, cropped.right),
        dataFormat: 'NHWC',
      },
    );
    return channelsFirst ? k.transpose(dx, TO_CHANNELS_FIRST) : dx;
  });
}

/** W[fh-1-i, fw-1-j, ci, co] as [fh, fw, Cout, Cin], in one pass over the wasm heap. */
function flipFilter(backend: WasmBackend, filter: TensorInfo): TensorInfo {
  const [fh, fw, cin, cout] = filter.shape as [number, number, number, number];
  const out = backend.makeOutput([fh, fw, cout, cin], 'float32');
  const src = backend.typedArrayFromHeap(filter) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const block = cin * cout;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = ((fh - 1 - i) * fw + (fw - 1 - j)) * block;
      const to = (i * fw + j) * block;
      for (let ci = 0; ci < cin; ci++) {
        for (let co = 0; co < cout; co++) dst[to + co * cin + ci] = src[from + ci * cout + co]!;
      }
    }
  }
  return out;
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: 'wasm',
  kernelFunc: conv2DBackpropInput as unknown as KernelFunc,
};
