import { getGradient, getKernel, registerGradient, registerKernel, unregisterGradient, unregisterKernel, type GradConfig, type KernelConfig } from '@tensorflow/tfjs-core';
import { addConfig } from './Add.js';
import { multiplyConfig } from './Multiply.js';
import { reluConfig } from './Relu.js';
import { reluGradConfig, reluGradKernelConfig } from './ReluGrad.js';
import { relu6GradConfig, relu6GradKernelConfig } from './Relu6Grad.js';
import { clipGradConfig, clipGradKernelConfig } from './ClipByValueGrad.js';
import { squareConfig } from './Square.js';
import { stepConfig } from './Step.js';
import { subConfig } from './Sub.js';
import { avgPoolConfig } from './AvgPool.js';
import { avgPoolGradConfig } from './AvgPoolGrad.js';
import { batchMatMulConfig } from './BatchMatMul.js';
import { batchNormGradConfig } from './BatchNormGrad.js';
import { batchNormTrainConfig } from './BatchNormTrain.js';
import { batchNormTrainGradConfig } from './BatchNormTrainGrad.js';
import { conv2DConfig } from './Conv2D.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { depthwiseConv2dNativeConfig } from './DepthwiseConv2dNative.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { emaUpdateConfig } from './EmaUpdate.js';
import { fusedBatchNormConfig } from './FusedBatchNorm.js';
import { fusedConv2DConfig } from './FusedConv2D.js';
import { fusedConv2DResidualConfig } from './FusedConv2DResidual.js';
import { fusedDepthwiseConv2DConfig } from './FusedDepthwiseConv2D.js';
import { fusedMatMulConfig } from './FusedMatMul.js';
import { maxPoolConfig } from './MaxPool.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { meanConfig } from './Mean.js';
import { lightenSavedTensors, restoreSavedTensors } from '../engine/saved-tensors.js';
import { replaced } from './native-kernel.js';
import { padV2Config } from './PadV2.js';
import { sgdUpdateConfig } from './SgdUpdate.js';
import { sliceConfig } from './Slice.js';
import { splitVConfig } from './SplitV.js';
import { concatConfig } from './Concat.js';
import { sumConfig } from './Sum.js';
import { transformConfig } from './Transform.js';

/** The configs registered now, by kernel name (a native kernel with its fallback's set-up). */
const registered = new Map<string, KernelConfig>();

/** The kernels this package runs natively, registered over the wasm backend. */
export const NATIVE_KERNELS: readonly KernelConfig[] = [
  conv2DConfig,
  fusedConv2DConfig,
  fusedConv2DResidualConfig,
  conv2DBackpropInputConfig,
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeConfig,
  fusedDepthwiseConv2DConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  batchMatMulConfig,
  fusedMatMulConfig,
  fusedBatchNormConfig,
  batchNormGradConfig,
  batchNormTrainConfig,
  batchNormTrainGradConfig,
  maxPoolConfig,
  maxPoolGradConfig,
  avgPoolConfig,
  avgPoolGradConfig,
  sumConfig,
  meanConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  reluConfig,
  reluGradKernelConfig,
  relu6GradKernelConfig,
  clipGradKernelConfig,
  stepConfig,
  squareConfig,
  sgdUpdateConfig,
  emaUpdateConfig,
  sliceConfig,
  splitVConfig,
  concatConfig,
  padV2Config,
  transformConfig,
];

/**
 * Gradients that call a native kernel where the backend has it (and tfjs's own kernels elsewhere,
 * with the same numbers): tfjs's gradient makes two passes over the activations where one does.
 * tfjs-layers registers tfjs's gradients when it loads, so one loaded after this falls back to them.
 */
export const NATIVE_GRADIENTS: readonly GradConfig[] = [reluGradConfig, relu6GradConfig, clipGradConfig];

/** The gradients NATIVE_GRADIENTS replaced, by kernel name (undefined: none was registered). */
const replacedGradients = new Map<string, GradConfig | undefined>();

/**
 * Puts the native kernels in place of the wasm backend's, remembering each one replaced (the
 * fallback for cases the native kernel leaves, and what `unregisterNativeKernels` restores), and
 * saves tensors for the gradient tape without a kernel call each (src/engine/saved-tensors.ts).
 * Idempotent.
 */
export function registerNativeKernels(): void {
  lightenSavedTensors();
  for (const config of NATIVE_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current && current === registered.get(config.kernelName)) continue;
    if (current) {
      replaced.set(config.kernelName, current);
      unregisterKernel(config.kernelName, 'wasm');
    }
    // The replaced kernel's set-up (tfjs-backend-wasm binds its functions there) still runs when
    // the backend starts, so that it can serve as the fallback.
    const own: KernelConfig = current?.setupFunc ? { ...config, setupFunc: current.setupFunc } : config;
    registered.set(config.kernelName, own);
    registerKernel(own);
  }
  for (const config of NATIVE_GRADIENTS) {
    const current = getGradient(config.kernelName);
    if (current === config) continue;
    replacedGradients.set(config.kernelName, current);
    registerGradient(config);
  }
}

/** Restores the wasm backend's own kernels, and tfjs's way of saving tensors. Idempotent. */
export function unregisterNativeKernels(): void {
  restoreSavedTensors();
  for (const config of NATIVE_KERNELS) {
    const own = registered.get(config.kernelName);
    if (!own || getKernel(config.kernelName, 'wasm') !== own) continue;
    unregisterKernel(config.kernelName, 'wasm');
    const previous = replaced.get(config.kernelName);
    if (previous) registerKernel(previous);
    replaced.delete(config.kernelName);
    registered.delete(config.kernelName);
  }
  for (const config of NATIVE_GRADIENTS) {
    if (!replacedGradients.has(config.kernelName) || getGradient(config.kernelName) !== config) continue;
    const previous = replacedGradients.get(config.kernelName);
    if (previous) registerGradient(previous);
    else unregisterGradient(config.kernelName);
    replacedGradients.delete(config.kernelName);
  }
}

/** Whether the native kernels are in place now. */
export function nativeKernelsRegistered(): boolean {
  return NATIVE_KERNELS.every((config) => {
    const own = registered.get(config.kernelName);
    return own !== undefined && getKernel(config.kernelName, 'wasm') === own;
  });
}
