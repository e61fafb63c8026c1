import { backend_util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { allFloat32, heapOf, offsetOf, output, type WasmBackend } from './wasm-heap.js';

export interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** The geometry of a pooling over `x`, or null where the native loops do not apply. */
export function poolInfo(x: TensorInfo, attrs: PoolAttrs): backend_util.Conv2DInfo | null {
  if (x.shape.length !== 4 || !allFloat32(x)) return null;
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
  if (info.batchSize === 0 || info.outHeight <= 0 || info.outWidth <= 0 || info.inChannels === 0) return null;
  return info;
}

/** The addon's pooling parameters (src/addon/pool.cc, enum P). */
function poolParams(info: backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.padInfo.top,
    info.padInfo.left,
  ]);
}

export function runPool(backend: WasmBackend, info: backend_util.Conv2DInfo, x: TensorInfo, isMax: boolean): TensorInfo {
  const y = output(backend, info.outShape);
  addon().pool(heapOf(backend), poolParams(info), offsetOf(backend, x), offsetOf(backend, y), isMax);
  return y;
}

export function runPoolGrad(backend: WasmBackend, info: backend_util.Conv2DInfo, dy: TensorInfo, x: TensorInfo, isMax: boolean): TensorInfo {
  const dx = output(backend, [...x.shape]);
  addon().poolGrad(heapOf(backend), poolParams(info), offsetOf(backend, dy), isMax ? offsetOf(backend, x) : -1, offsetOf(backend, dx), isMax);
  return dx;
}
