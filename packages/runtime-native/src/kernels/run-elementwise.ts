import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { allFloat32, heapOf, offsetOf, output, type WasmBackend } from './wasm-heap.js';

export const ADD = 0;
export const SUB = 1;
export const MUL = 2;
/** a·step(b): ReLU's gradient dy·step(x). */
export const RELU_GRAD = 3;
/** a where lo ≤ b ≤ hi, else 0: ClipByValue's gradient. */
export const CLIP_GRAD = 4;
/** a·((b ≤ 6)·step(b)): Relu6's gradient. */
export const RELU6_GRAD = 5;
export const RELU = 0;
export const STEP = 1;
export const SQUARE = 2;

const SAME = 0;
const CHANNELS = 1;
const SCALAR = 2;

/** How `b` spreads over `a` (same shape, one value per channel of the last axis, one value), or null. */
function broadcastOf(a: TensorInfo, b: TensorInfo): number | null {
  const sizeB = util.sizeFromShape(b.shape);
  if (util.arraysEqual(a.shape, b.shape)) return SAME;
  if (sizeB === 1 && b.shape.length <= a.shape.length) return SCALAR;
  const channels = a.shape.at(-1);
  const perChannel = b.shape.length <= a.shape.length && b.shape.at(-1) === channels && sizeB === channels;
  return perChannel && a.shape.length > 0 ? CHANNELS : null;
}

/**
 * `a op b` through the addon where both are float32 and `b` is `a`'s shape, one value per channel,
 * or one value (or `a` is, for a sum or product); null otherwise (left to the wasm kernel).
 */
export function runBinary(backend: WasmBackend, op: number, a: TensorInfo, b: TensorInfo, bounds: [lo: number, hi: number] = [0, 0]): TensorInfo | null {
  if (!allFloat32(a, b)) return null;
  let [x, y] = [a, b];
  let broadcast = broadcastOf(x, y);
  if (broadcast === null && (op === ADD || op === MUL)) {
    [x, y] = [b, a];
    broadcast = broadcastOf(x, y);
  }
  const size = util.sizeFromShape(x.shape);
  if (broadcast === null || size === 0) return null;
  const out = output(backend, [...x.shape]);
  addon().binary(heapOf(backend), op, offsetOf(backend, x), offsetOf(backend, y), offsetOf(backend, out), size, broadcast, x.shape.at(-1) ?? 1, ...bounds);
  return out;
}

/** An element-wise function of a float32 tensor through the addon; null for other dtypes. */
export function runUnary(backend: WasmBackend, op: number, x: TensorInfo, alpha = 0): TensorInfo | null {
  const size = util.sizeFromShape(x.shape);
  if (!allFloat32(x) || size === 0) return null;
  const out = output(backend, [...x.shape]);
  addon().unary(heapOf(backend), op, offsetOf(backend, x), offsetOf(backend, out), size, alpha);
  return out;
}
