import { Conv2D, type Conv2DAttrs, type Conv2DInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { CONV_FORWARD, forwardInfo, isChannelsLast, nonEmpty } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** A 2-D convolution (NHWC, HWIO filter) on oneDNN. */
export const conv2DConfig = nativeKernel<Conv2DInputs, Conv2DAttrs>(Conv2D, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  if (!allFloat32(x, filter) || !isChannelsLast(attrs.dataFormat)) return null;
  const info = forwardInfo(x, filter, attrs);
  if (!nonEmpty(info)) return null;
  return runConv(backend, info, CONV_FORWARD, x, filter, info.outShape);
});
