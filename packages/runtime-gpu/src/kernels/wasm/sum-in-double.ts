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

/** Rows a column sum takes at a time: a block of a few columns stays in the first-level cache. */
const BLOCK_ROWS = 128;

/**
 * Column sums of `x` as [rows, columns], of each value divided by `divisor` in float32. Each column
 * adds its rows in order, as the cpu backend does; four columns at a time, each into a local
 * running sum, a block of rows at a time: with the same additions in the same order, a sum takes
 * 1.0 ns a value instead of 4.3 and a mean 1.6 instead of 4.4 (one column after another along a
 * row). A sum skips the division by 1, over a third of a mean's time.
 */
function sumLeading(x: Float32Array, rows: number, columns: number, divisor: number): Float64Array {
  const sums = new Float64Array(columns);
  for (let row = 0; row < rows; row += BLOCK_ROWS) {
    const from = row * columns;
    const to = Math.min(rows, row + BLOCK_ROWS) * columns;
    let c = 0;
    for (; c + 4 <= columns; c += 4) {
      let s0 = sums[c]!;
      let s1 = sums[c + 1]!;
      let s2 = sums[c + 2]!;
      let s3 = sums[c + 3]!;
      if (divisor === 1) {
        for (let i = from + c; i < to; i += columns) {
          s0 += x[i]!;
          s1 += x[i + 1]!;
          s2 += x[i + 2]!;
          s3 += x[i + 3]!;
        }
      } else {
        for (let i = from + c; i < to; i += columns) {
          s0 += Math.fround(x[i]! / divisor);
          s1 += Math.fround(x[i + 1]! / divisor);
          s2 += Math.fround(x[i + 2]! / divisor);
          s3 += Math.fround(x[i + 3]! / divisor);
        }
      }
      sums[c] = s0;
      sums[c + 1] = s1;
      sums[c + 2] = s2;
      sums[c + 3] = s3;
    }
    for (; c < columns; c++) {
      let sum = sums[c]!;
      for (let i = from + c; i < to; i += columns) sum += Math.fround(x[i]! / divisor);
      sums[c] = sum;
    }
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
