import { Add, FusedConv2D, getKernel, Relu, util, type FusedConv2DAttrs, type KernelFunc, type TensorInfo } from '@tensorflow/tfjs-core';
import { ACTIVATIONS, CONV_FORWARD, forwardInfo, isChannelsLast, nonEmpty, type ConstantFilterAttr } from './conv-params.js';
import { nativeKernel } from './native-kernel.js';
import { runConv } from './run-conv.js';
import { allFloat32, type WasmBackend } from './wasm-heap.js';

/**
 * The kernel @frugal/core's inference model calls for a residual block's last convolution:
 * act(conv(x, filter) + bias + residual), one pass where a convolution, an Add and a ReLU make three.
 */
export const FUSED_CONV_RESIDUAL = 'FrugalFusedConv2DResidual';

type Inputs = { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; residual: TensorInfo };
type Attrs = Pick<FusedConv2DAttrs, 'strides' | 'pad' | 'dilations' | 'dataFormat' | 'dimRoundingMode' | 'activation'> & ConstantFilterAttr;

/** The same result from the backend's own kernels: the convolution with its bias, the sum, then the activation. */
function composed(inputs: Inputs, attrs: Attrs, backend: WasmBackend): TensorInfo {
  const run = (name: string, kernelInputs: Record<string, TensorInfo>, kernelAttrs: object): TensorInfo =>
    (getKernel(name, 'wasm')!.kernelFunc as KernelFunc)({ inputs: kernelInputs, attrs: kernelAttrs as never, backend }) as TensorInfo;
  const { residual, ...convInputs } = inputs;
  const conv = run(FusedConv2D, convInputs as Record<string, TensorInfo>, { ...attrs, activation: 'linear' });
  const sum = run(Add, { a: conv, b: residual }, {});
  backend.disposeData(conv.dataId);
  if ((attrs.activation ?? 'linear') === 'linear') return sum;
  const activated = run(Relu, { x: sum }, {});
  backend.disposeData(sum.dataId);
  return activated;
}

/** act(conv(x) + bias + residual) on oneDNN: the residual read by a post-op as the output is written (src/addon/conv.cc). */
export const fusedConv2DResidualConfig = nativeKernel<Inputs, Attrs>(FUSED_CONV_RESIDUAL, ({ inputs, attrs, backend }) => {
  const { x, filter, bias, residual } = inputs;
  const activation = attrs.activation ?? 'linear';
  if (activation !== 'linear' && activation !== 'relu') {
    throw new Error(`${FUSED_CONV_RESIDUAL}: the activation must be linear or relu, got ${activation}`);
  }
  const info = forwardInfo(x, filter, attrs);
  const native =
    allFloat32(x, filter, bias, residual) &&
    isChannelsLast(attrs.dataFormat) &&
    nonEmpty(info) &&
    util.arraysEqual(residual.shape, info.outShape) &&
    (!bias || util.sizeFromShape(bias.shape) === info.outChannels);
  if (!native) return composed(inputs, attrs, backend);
  return runConv(backend, info, CONV_FORWARD, x, filter, info.outShape, { bias, activation: ACTIVATIONS[activation], residual, constantFilter: attrs.constantFilter === true });
});
