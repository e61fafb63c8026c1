import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { allFloat32, heapOf, offsetOf, output, type WasmBackend } from './wasm-heap.js';

/**
 * A sum (scaled by 1/count for a mean) over `axis` through the addon, where the axes are the
 * leading or the trailing ones of `x`; null for other axes (left to the wasm kernel).
 */
export function runReduce(backend: WasmBackend, x: TensorInfo, axis: number | number[], keepDims: boolean, mean: boolean): TensorInfo | null {
  if (!allFloat32(x) || x.shape.length === 0) return null;
  const rank = x.shape.length;
  const axes = [...new Set(util.parseAxisParam(axis, x.shape))].sort((a, b) => a - b);
  if (axes.length === 0) return null;
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!leading && !trailing) return null;
  const reduced = util.sizeFromShape(axes.map((a) => x.shape[a]!));
  const kept = util.sizeFromShape(x.shape) / Math.max(reduced, 1);
  if (reduced === 0 || kept === 0) return null;
  const [outShape] = backend_util.computeOutAndReduceShapes(x.shape, axes);
  const out = output(backend, keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape);
  const [outer, inner] = leading ? [reduced, kept] : [kept, reduced];
  addon().reduceSum(heapOf(backend), offsetOf(backend, x), offsetOf(backend, out), outer, inner, leading, mean ? 1 / reduced : 1);
  return out;
}
