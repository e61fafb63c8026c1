import { FusedConv2D, util, type FusedConv2DAttrs, type FusedConv2DInputs, type TensorInfo } from '@tensorflow/tfjs-core';
import { ACTIVATIONS, CONV_FORWARD, forwardInfo, isChannelsLast, nonEmpty, type ConstantFilterAttr } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32 } from './wasm-heap.js';

/** A 2-D convolution with its bias and activation applied in the same pass (oneDNN post-ops). */
export const fusedConv2DConfig = nativeKernel<FusedConv2DInputs, FusedConv2DAttrs & ConstantFilterAttr>(FusedConv2D, ({ inputs, attrs, backend }) => {
  const x = inputs.x as TensorInfo;
  const filter = inputs.filter as TensorInfo;
  const bias = inputs.bias as TensorInfo | undefined;
  const activation = ACTIVATIONS[attrs.activation ?? 'linear'];
  if (activation === undefined || !allFloat32(x, filter, bias) || !isChannelsLast(attrs.dataFormat)) return null;
  const info = forwardInfo(x, filter, attrs);
  if (!nonEmpty(info) || (bias && util.sizeFromShape(bias.shape) !== info.outChannels)) return null;
  return runConv(backend, info, CONV_FORWARD, x, filter, info.outShape, {
    bias,
    activation,
    alpha: attrs.leakyreluAlpha ?? 0.2,
    constantFilter: attrs.constantFilter === true,
  });
});
