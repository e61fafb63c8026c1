import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { registerNativeKernels } from '../kernels/register.js';
import { setNativeThreads } from '../threads.js';

/** Deterministic uniform values in [-1, 1) from a seed (a small LCG; test data only). */
export function randomValues(size: number, seed: number): Float32Array {
  const out = new Float32Array(size);
  let state = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    out[i] = state / 2 ** 31 - 1;
  }
  return out;
}

/** A random integer in [lo, hi] drawn from `r` (a function giving values in [-1, 1)). */
export function intFrom(r: () => number): (lo: number, hi: number) => number {
  return (lo, hi) => lo + Math.min(hi - lo, Math.floor(((r() + 1) / 2) * (hi - lo + 1)));
}

/** A stream of values in [-1, 1) from a seed. */
export function stream(seed: number): () => number {
  const values = randomValues(100_000, seed);
  let at = 0;
  return () => values[at++ % values.length]!;
}

export type Inputs = Record<string, { values: Float32Array | Int32Array; shape: number[]; dtype?: tf.DataType }>;

/** Runs a kernel through the engine on `backend` with fresh tensors; every output comes back as values. */
export async function runKernelOn(backend: string, kernel: string, inputs: Inputs, attrs: Record<string, unknown>): Promise<{ values: Float32Array; shape: number[] }[]> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, tf.tensor(v.values, v.shape, v.dtype)]));
  try {
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];
    const outs = Array.isArray(out) ? out : [out];
    const results = [];
    for (const t of outs) results.push({ values: Float32Array.from(await t.data()), shape: t.shape });
    tf.dispose(outs);
    return results;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** The kernel on the cpu backend and on wasm with the native kernels: [expected, actual]. */
export async function cpuAndNative(kernel: string, inputs: Inputs, attrs: Record<string, unknown>) {
  const expected = await runKernelOn('cpu', kernel, inputs, attrs);
  const actual = await runKernelOn('wasm', kernel, inputs, attrs);
  return [expected, actual] as const;
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  }
  if (actual.length !== expected.length) return Infinity;
  return scale === 0 ? diff : diff / scale;
}

/** Starts the wasm backend with the native kernels on two threads. */
export async function useNative(threads = 2): Promise<void> {
  setNativeThreads(threads);
  registerNativeKernels();
  await tf.setBackend('wasm');
}

/**
 * Fails unless `actual` holds the same float32 bits as `expected` (any NaN matches any NaN; +0 and
 * −0 differ), naming the first difference. Faster than `toEqual` on arrays of a million values.
 */
export function expectSameBits(actual: Float32Array, expected: Float32Array | ArrayLike<number>, what = 'values'): void {
  const want = expected instanceof Float32Array ? expected : Float32Array.from(expected);
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(want.buffer, want.byteOffset, want.length);
  if (a.length !== b.length) throw new Error(`${what}: ${a.length} values where ${b.length} were expected`);
  const i = a.findIndex((bits, k) => bits !== b[k] && !(Number.isNaN(actual[k]) && Number.isNaN(want[k])));
  if (i >= 0) throw new Error(`${what}: first difference at [${i}]: ${actual[i]} where ${want[i]} was expected`);
}
