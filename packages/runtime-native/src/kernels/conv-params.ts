import { backend_util, type Conv2DAttrs, type TensorInfo } from '@tensorflow/tfjs-core';

/** Activations fused into a convolution or matrix product, numbered as the addon reads them. */
export const ACTIVATIONS: Record<string, number> = { linear: 0, relu: 1, relu6: 2, elu: 3, sigmoid: 4, leakyrelu: 5 };

export const CONV_FORWARD = 0;
export const CONV_BACKWARD_DATA = 1;
export const CONV_BACKWARD_WEIGHTS = 2;

/**
 * The addon's convolution parameters (src/addon/conv.cc, enum P) from tfjs's geometry:
 * [N, IH, IW, IC, OC, KH, KW, SH, SW, DH, DW, PT, PL, OH, OW, groups, activation, hasBias, kind, hasResidual].
 */
export function convParams(
  info: backend_util.Conv2DInfo,
  options: { kind: number; depthwise?: boolean; activation?: number; hasBias?: boolean; hasResidual?: boolean },
): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
    info.outHeight,
    info.outWidth,
    options.depthwise ? info.inChannels : 1,
    options.activation ?? 0,
    options.hasBias ? 1 : 0,
    options.kind,
    options.hasResidual ? 1 : 0,
  ]);
}

/** Whether a data format is channels-last (the only layout the native kernels take). */
export function isChannelsLast(dataFormat: string | undefined): boolean {
  return dataFormat === undefined || dataFormat === 'NHWC' || dataFormat === 'channelsLast';
}

/**
 * Whether oneDNN can take the geometry: no empty dimension, and output sizes that follow from the
 * input, filter, stride and padding. (tfjs sizes a numeric padding's width with the height's
 * stride; such a convolution is left to the wasm kernel.)
 */
export function nonEmpty(info: backend_util.Conv2DInfo): boolean {
  if (!(info.batchSize > 0 && info.outHeight > 0 && info.outWidth > 0 && info.inChannels > 0 && info.outChannels > 0)) return false;
  const fits = (input: number, output: number, filter: number, stride: number, dilation: number, before: number) => {
    const extent = (filter - 1) * dilation + 1;
    const after = Math.max(0, (output - 1) * stride + extent - input - before);
    return Math.floor((input - extent + before + after) / stride) + 1 === output;
  };
  return (
    fits(info.inHeight, info.outHeight, info.filterHeight, info.strideHeight, info.dilationHeight, info.padInfo.top) &&
    fits(info.inWidth, info.outWidth, info.filterWidth, info.strideWidth, info.dilationWidth, info.padInfo.left)
  );
}

/**
 * An attribute a caller may add to a forward convolution whose filter never changes (an inference
 * model's folded filters, `@frugal/core`'s InferenceModel): its reordered copy is kept, not remade at
 * every call. Other backends ignore it.
 */
export interface ConstantFilterAttr {
  constantFilter?: boolean;
}

/** The attributes every convolution kernel shares. */
export type ConvGeometryAttrs = Pick<Conv2DAttrs, 'strides' | 'pad' | 'dimRoundingMode'> & { dilations?: Conv2DAttrs['dilations'] };

/** The geometry of a forward convolution of `x` by `filter` (depthwise: one group per channel). */
export function forwardInfo(x: TensorInfo, filter: TensorInfo, attrs: ConvGeometryAttrs, depthwise = false): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    depthwise,
  );
}
