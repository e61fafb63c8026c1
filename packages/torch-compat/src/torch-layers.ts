import { SeededDropout, type Rng } from '@frugal/core';
import { initializers, layers, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { torchBatchNormClass } from './layers/batch-norm.js';
import { Hardsigmoid, Hardswish } from './layers/hard-activations.js';

/**
 * Layer builders with PyTorch's semantics, so that torchvision weights give torchvision's outputs:
 * explicit symmetric padding where TensorFlow's 'same' would pad asymmetrically (stride 2), pooling
 * with `ceil_mode`, BatchNorm momentum and epsilon in PyTorch's terms, and PyTorch's default
 * initialisations. Every random initializer gets its own seed from `rng`.
 */

export type ConvInit = 'kaiming-fan-out' | 'trunc-normal-0.01';

export interface ConvOptions {
  name: string;
  filters: number;
  kernel: number;
  stride?: number;
  /** Symmetric zero padding, as PyTorch's `padding=`. */
  padding?: number;
  bias?: boolean;
  init: ConvInit;
}

function kernelInitializer(init: ConvInit, rng: Rng): ReturnType<typeof initializers.varianceScaling> {
  switch (init) {
    case 'kaiming-fan-out':
      return initializers.varianceScaling({ scale: 2, mode: 'fanOut', distribution: 'normal', seed: rng.seedInt() });
    case 'trunc-normal-0.01':
      return initializers.truncatedNormal({ mean: 0, stddev: 0.01, seed: rng.seedInt() });
  }
}

/**
 * Output size of a PyTorch convolution or pooling along one axis. With `ceilMode` a pooling window
 * may run past the input (PyTorch pads it with -inf), but it must start inside the input or the
 * left padding.
 */
export function torchOutputSize(size: number, kernel: number, stride: number, padding: number, ceilMode = false): number {
  const span = size + 2 * padding - kernel;
  let out = Math.floor((span + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= size + padding) out--;
  if (out < 1 || (!ceilMode && span < 0)) {
    throw new RangeError(
      `an input of size ${size} is smaller than the window (kernel ${kernel}, padding ${padding}); use a larger inputShape`,
    );
  }
  return out;
}

function spatialSize(x: SymbolicTensor): [number, number] {
  const [, h, w] = x.shape;
  if (h == null || w == null) throw new Error(`layer input "${x.name}" has an unknown spatial size`);
  return [h, w];
}

/**
 * Zero padding that makes a 'valid' window op produce PyTorch's output size: `padding` before, and
 * after whatever the (ceil-mode) output needs, which may be less than `padding`.
 */
function torchPad(x: SymbolicTensor, name: string, kernel: number, stride: number, padding: number, ceilMode: boolean): SymbolicTensor {
  const [h, w] = spatialSize(x);
  const after = (size: number): number => {
    const out = torchOutputSize(size, kernel, stride, padding, ceilMode);
    return Math.max(0, (out - 1) * stride + kernel - size - padding);
  };
  const padH: [number, number] = [padding, after(h)];
  const padW: [number, number] = [padding, after(w)];
  if (padH[0] + padH[1] + padW[0] + padW[1] === 0) return x;
  return layers.zeroPadding2d({ name, padding: [padH, padW] }).apply(x) as SymbolicTensor;
}

/** PyTorch's `Conv2d` (no dilation or groups). */
export function conv2d(x: SymbolicTensor, o: ConvOptions, rng: Rng): SymbolicTensor {
  const stride = o.stride ?? 1;
  const padding = o.padding ?? 0;
  const kernelInit = kernelInitializer(o.init, rng);
  const biasInit = o.bias ? initializers.zeros() : undefined;
  const common = {
    name: o.name,
    filters: o.filters,
    kernelSize: o.kernel,
    strides: stride,
    useBias: o.bias ?? false,
    kernelInitializer: kernelInit,
    ...(biasInit ? { biasInitializer: biasInit } : {}),
  };
  // With stride 1 and an odd kernel, 'same' pads exactly PyTorch's (k - 1) / 2 on each side.
  if (stride === 1 && padding * 2 === o.kernel - 1) {
    return layers.conv2d({ ...common, padding: 'same' }).apply(x) as SymbolicTensor;
  }
  const padded = torchPad(x, `${o.name}_pad`, o.kernel, stride, padding, false);
  return layers.conv2d({ ...common, padding: 'valid' }).apply(padded) as SymbolicTensor;
}

export interface DepthwiseConvOptions {
  name: string;
  kernel: number;
  stride?: number;
  /** Symmetric zero padding, as PyTorch's `padding=`. */
  padding?: number;
}

/**
 * PyTorch's depthwise `Conv2d` (`groups` = input channels = output channels, no bias), initialised
 * as torchvision does (`kaiming_normal_(mode='fan_out')`). PyTorch counts a depthwise filter's fan-out
 * as channels × kernel area, which TensorFlow.js calls its fan-in.
 */
export function depthwiseConv2d(x: SymbolicTensor, o: DepthwiseConvOptions, rng: Rng): SymbolicTensor {
  const stride = o.stride ?? 1;
  const padding = o.padding ?? 0;
  const common = {
    name: o.name,
    kernelSize: o.kernel,
    strides: stride,
    useBias: false,
    depthwiseInitializer: initializers.varianceScaling({ scale: 2, mode: 'fanIn', distribution: 'normal', seed: rng.seedInt() }),
  };
  if (stride === 1 && padding * 2 === o.kernel - 1) {
    return layers.depthwiseConv2d({ ...common, padding: 'same' }).apply(x) as SymbolicTensor;
  }
  const padded = torchPad(x, `${o.name}_pad`, o.kernel, stride, padding, false);
  return layers.depthwiseConv2d({ ...common, padding: 'valid' }).apply(padded) as SymbolicTensor;
}

export interface BatchNormOptions {
  name: string;
  /** PyTorch's default is 1e-5; torchvision's GoogLeNet and Inception v3 use 0.001. */
  epsilon?: number;
  /** PyTorch's momentum (weight of the new batch statistic), default 0.1. */
  momentum?: number;
  /** Start with gamma = 0 (the block's residual branch starts as zero). */
  zeroGamma?: boolean;
}

/** PyTorch's `BatchNorm2d` on NHWC tensors (its training pass one operation on the tape). */
export function batchNorm(x: SymbolicTensor, o: BatchNormOptions): SymbolicTensor {
  const TorchBatchNorm = torchBatchNormClass();
  const layer = new TorchBatchNorm({
    name: o.name,
    axis: -1,
    epsilon: o.epsilon ?? 1e-5,
    momentum: 1 - (o.momentum ?? 0.1),
    gammaInitializer: o.zeroGamma ? initializers.zeros() : initializers.ones(),
  }) as unknown as { apply(x: SymbolicTensor): SymbolicTensor };
  return layer.apply(x);
}

export function relu(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.reLU({ name }).apply(x) as SymbolicTensor;
}

/** PyTorch's `ReLU6`: min(max(x, 0), 6). */
export function relu6(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.reLU({ name, maxValue: 6 }).apply(x) as SymbolicTensor;
}

/** PyTorch's `Hardswish`: x · relu6(x + 3) / 6. */
export function hardswish(x: SymbolicTensor, name: string): SymbolicTensor {
  return new Hardswish({ name }).apply(x) as SymbolicTensor;
}

/** PyTorch's `Hardsigmoid`: relu6(x + 3) / 6. */
export function hardsigmoid(x: SymbolicTensor, name: string): SymbolicTensor {
  return new Hardsigmoid({ name }).apply(x) as SymbolicTensor;
}

export interface PoolOptions {
  name: string;
  pool: number;
  stride: number;
  padding?: number;
  ceilMode?: boolean;
}

/**
 * PyTorch's `MaxPool2d` (with `ceil_mode`). It pads with zeros, which equals PyTorch's -inf padding
 * because every max-pool in these networks reads non-negative values (the output of a ReLU, or a
 * concatenation of them).
 */
export function maxPool(x: SymbolicTensor, o: PoolOptions): SymbolicTensor {
  const padding = o.padding ?? 0;
  const ceilMode = o.ceilMode ?? false;
  // Stride 1 with symmetric padding (k - 1) / 2: TensorFlow's 'same' pooling ignores the padding,
  // which is PyTorch's -inf padding exactly.
  if (o.stride === 1 && padding * 2 === o.pool - 1) {
    return layers.maxPooling2d({ name: o.name, poolSize: o.pool, strides: 1, padding: 'same' }).apply(x) as SymbolicTensor;
  }
  const padded = torchPad(x, `${o.name}_pad`, o.pool, o.stride, padding, ceilMode);
  return layers.maxPooling2d({ name: o.name, poolSize: o.pool, strides: o.stride, padding: 'valid' }).apply(padded) as SymbolicTensor;
}

/**
 * PyTorch's `Linear`. Its default initialisation draws weight and bias uniformly in ±1/sqrt(fanIn);
 * with `init: 'trunc-normal-0.01'` (torchvision's GoogLeNet) only the weight is redrawn that way;
 * with `'normal-0.01'` (torchvision's MobileNets) the weight is drawn from N(0, 0.01²) and the bias
 * is zero.
 */
export function linear(
  x: SymbolicTensor,
  name: string,
  units: number,
  rng: Rng,
  init: 'torch-default' | 'trunc-normal-0.01' | 'normal-0.01' = 'torch-default',
): SymbolicTensor {
  const fanIn = x.shape[x.shape.length - 1];
  if (fanIn == null) throw new Error(`layer input "${x.name}" has an unknown width`);
  const bound = 1 / Math.sqrt(fanIn);
  const kernelInitializer =
    init === 'torch-default'
      ? initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.seedInt() })
      : init === 'trunc-normal-0.01'
        ? initializers.truncatedNormal({ mean: 0, stddev: 0.01, seed: rng.seedInt() })
        : initializers.randomNormal({ mean: 0, stddev: 0.01, seed: rng.seedInt() });
  return layers
    .dense({
      name,
      units,
      kernelInitializer,
      biasInitializer: init === 'normal-0.01' ? initializers.zeros() : initializers.randomUniform({ minval: -bound, maxval: bound, seed: rng.seedInt() }),
    })
    .apply(x) as SymbolicTensor;
}

export function globalAvgPool(x: SymbolicTensor, name: string): SymbolicTensor {
  return layers.globalAveragePooling2d({ name }).apply(x) as SymbolicTensor;
}

/**
 * Dropout (in training only) with a new mask every step, drawn from `seed` and the step the
 * training loop sets; nothing is added when `rate` is 0.
 */
export function dropout(x: SymbolicTensor, name: string, rate: number, seed: number): SymbolicTensor {
  if (rate === 0) return x;
  return new SeededDropout({ name, rate, seed }).apply(x) as SymbolicTensor;
}
