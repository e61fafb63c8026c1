import { util, type TensorInfo } from '@tensorflow/tfjs-core';
import { addon } from '../addon.js';
import { heapOf, offsetOf, output, type WasmBackend } from './wasm-heap.js';

/**
 * A batched matrix product through oneDNN, or null where the batch dimensions broadcast in a way
 * it does not take (neither equal nor one side a single matrix).
 */
export function runMatMul(
  backend: WasmBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
  options: { bias?: TensorInfo; activation?: number; alpha?: number } = {},
): TensorInfo | null {
  if (a.shape.length < 2 || b.shape.length < 2) return null;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(aBatch);
  const batchB = util.sizeFromShape(bBatch);
  const sameBatch = aBatch.length === bBatch.length && aBatch.every((d, i) => d === bBatch[i]);
  if (!sameBatch && batchA !== 1 && batchB !== 1) return null;
  const [m, k] = transposeA ? [a.shape.at(-1)!, a.shape.at(-2)!] : [a.shape.at(-2)!, a.shape.at(-1)!];
  const [k2, n] = transposeB ? [b.shape.at(-1)!, b.shape.at(-2)!] : [b.shape.at(-2)!, b.shape.at(-1)!];
  if (k !== k2 || m === 0 || n === 0 || k === 0) return null;
  if (options.bias && util.sizeFromShape(options.bias.shape) !== n) return null;
  const batchShape = batchA >= batchB && aBatch.length >= bBatch.length ? aBatch : bBatch;
  const out = output(backend, [...batchShape, m, n]);
  const params = Int32Array.from([batchA, batchB, m, k, n, transposeA ? 1 : 0, transposeB ? 1 : 0, options.bias ? 1 : 0, options.activation ?? 0]);
  addon().matMul(
    heapOf(backend),
    params,
    offsetOf(backend, a),
    offsetOf(backend, b),
    offsetOf(backend, out),
    options.bias ? offsetOf(backend, options.bias) : -1,
    options.alpha ?? 0,
  );
  return out;
}
