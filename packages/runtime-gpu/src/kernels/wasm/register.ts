import { getKernel, registerKernel, unregisterKernel, type KernelConfig } from '@tensorflow/tfjs-core';
import { registerTrainingGradients } from '../../gradients/register.js';
import { batchNormGradConfig } from './BatchNormGrad.js';
import { castConfig } from './Cast.js';
import { conv2DBackpropFilterConfig } from './Conv2DBackpropFilter.js';
import { conv2DBackpropInputConfig } from './Conv2DBackpropInput.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './DepthwiseConv2dNativeBackpropFilter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './DepthwiseConv2dNativeBackpropInput.js';
import { identityConfig } from './Identity.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { meanConfig } from './Mean.js';
import { rememberOriginalWasmKernel } from './originals.js';
import { sliceConfig } from './Slice.js';
import { sumConfig } from './Sum.js';
import { tileConfig } from './Tile.js';

/**
 * The kernels training needs on the wasm backend: the ones tfjs-backend-wasm lacks, and faster
 * versions of ones it has (its Conv2DBackpropInput and Tile are per-element loops, and so is its
 * Slice above rank 4; its Identity and same-dtype Cast copy), a correct MaxPoolGrad (its own sends
 * gradients to the wrong inputs), Sum and Mean summed in float64 (its own, in float32, lose digits
 * over a BatchNorm layer's statistics), and FrugalBatchNormGrad, which FusedBatchNorm's gradient uses on wasm.
 */
export const WASM_TRAINING_KERNELS: readonly KernelConfig[] = [
  conv2DBackpropFilterConfig,
  conv2DBackpropInputConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  tileConfig,
  sliceConfig,
  batchNormGradConfig,
  identityConfig,
  castConfig,
  maxPoolGradConfig,
  sumConfig,
  meanConfig,
];

/**
 * Registers the wasm training kernels, replacing tfjs-backend-wasm's versions where it has one,
 * and the leaner Mean and Sum gradients (`registerTrainingGradients`). Idempotent: calling it again
 * changes nothing. Works before or after the wasm backend starts.
 */
export function registerWasmTrainingKernels(): void {
  registerTrainingGradients();
  for (const config of WASM_TRAINING_KERNELS) {
    const current = getKernel(config.kernelName, 'wasm');
    if (current === config) continue;
    if (current) {
      if (!WASM_TRAINING_KERNELS.includes(current)) rememberOriginalWasmKernel(current);
      unregisterKernel(config.kernelName, 'wasm');
    }
    registerKernel(config);
  }
}
