import { backend_util, util, type TensorInfo } from '@tensorflow/tfjs-core';
import type { WasmBackend } from './kernel-scope.js';

/**
 * Sums of a float32 tensor over its leading or its trailing axes, accumulated in float64 in the
 * order the cpu backend takes (which sums in JavaScript numbers); for a mean, of each value divided
 * by the count in float32 first, as the cpu backend's Mean does: the cpu backend's numbers to the
 * bit. tfjs-backend-wasm's Sum and Mean accumulate in float32: over the 100,000 values of a batch's
 * channel (BatchNorm's statistics) its mean is off by up to 2e-4 of the largest mean, and one
 * training step's gradients by 0.4% (1.9% for a ResNet's first convolution). Returns null for other
 * axes and dtypes (left to tfjs-backend-wasm).
 */
export function sumInDouble(backend: WasmBackend, x: TensorInfo, axis: number | number[], keepDims: boolean, mean: boolean): TensorInfo | null {
  if (x.dtype !== 'float32' || x.shape.length === 0) return null;
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
  const out = backend.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, 'float32');
  const values = backend.typedArrayFromHeap(x) as Float32Array;
  const divisor = mean ? reduced : 1;
  const result = backend.typedArrayFromHeap(out) as Float32Array;
  result.set(leading ? sumLeading(values, reduced, kept, divisor) : sumTrailing(values, kept, reduced, divisor));
  return out;
}

/** Column sums of `x` as [rows, columns], of each value divided by `divisor` in float32. */
function sumLeading(x: Float32Array, rows: number, columns: number, divisor: number): Float64Array {
  const sums = new Float64Array(columns);
  for (let base = 0; base < rows * columns; base += columns) {
    for (let c = 0; c < columns; c++) sums[c] += Math.fround(x[base + c]! / divisor);
  }
  return sums;
}

/** Row sums of `x` as [rows, columns], of each value divided by `divisor` in float32. */
function sumTrailing(x: Float32Array, rows: number, columns: number, divisor: number): Float64Array {
  const sums = new Float64Array(rows);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let i = r * columns, end = i + columns; i < end; i++) s += Math.fround(x[i]! / divisor);
    sums[r] = s;
  }
  return sums;
}
