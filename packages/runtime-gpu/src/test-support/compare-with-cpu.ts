import * as tf from '@tensorflow/tfjs-core';

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

/** Runs `kernel` through the engine on `backend` with fresh tensors of the given values. */
export async function runKernelOn(
  backend: string,
  kernel: string,
  inputs: Record<string, { values: Float32Array; shape: number[] }>,
  attrs: Record<string, unknown>,
): Promise<{ values: Float32Array; shape: number[] }> {
  await tf.setBackend(backend);
  const tensors = Object.fromEntries(Object.entries(inputs).map(([name, v]) => [name, tf.tensor(v.values, v.shape)]));
  try {
    const out = tf.engine().runKernel(kernel, tensors, attrs as tf.NamedAttrMap) as tf.Tensor;
    const values = (await out.data()) as Float32Array;
    const shape = out.shape;
    out.dispose();
    return { values, shape };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** max |a - b| / max |b|: the error relative to the reference's scale. */
export function relativeError(actual: Float32Array, expected: Float32Array): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs((actual[i] ?? NaN) - (expected[i] ?? NaN)));
    scale = Math.max(scale, Math.abs(expected[i] ?? 0));
  }
  return scale === 0 ? diff : diff / scale;
}

export type PadCase = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];

export interface ConvCase {
  /** NHWC input shape. */
  x: [number, number, number, number];
  /** [fh, fw, Cin, Cout] (or [fh, fw, Cin, multiplier] for depthwise). */
  filter: [number, number, number, number];
  strides: [number, number];
  dilations: [number, number];
  pad: PadCase;
}

/**
 * `count` random convolution geometries from `seed`: sizes 1–13 (odd ones included), filters 1–5,
 * strides 1–3, dilations 1–3 when `withDilations` (only where the stride is 1, as tfjs requires),
 * and 'same', 'valid', numeric and explicit paddings. Geometries with no output are skipped.
 */
export function randomConvCases(count: number, seed: number, withDilations: boolean): ConvCase[] {
  const r = randomValues(count * 40, seed);
  let at = 0;
  const int = (lo: number, hi: number) => lo + Math.floor(((r[at++ % r.length] ?? 0) + 1) / 2 * (hi - lo + 1));
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const fh = int(1, 5);
    const fw = int(1, 5);
    const strides: [number, number] = [int(1, 3), int(1, 3)];
    const dilations: [number, number] = withDilations && strides[0] === 1 && strides[1] === 1 ? [int(1, 3), int(1, 3)] : [1, 1];
    const kind = int(0, 3);
    const pad: PadCase =
      kind === 0 ? 'same' : kind === 1 ? 'valid' : kind === 2 ? int(0, 2) : [[0, 0], [int(0, fh - 1), int(0, fh - 1)], [int(0, fw - 1), int(0, fw - 1)], [0, 0]];
    const x: [number, number, number, number] = [int(1, 3), int(1, 13), int(1, 13), int(1, 5)];
    const filter: [number, number, number, number] = [fh, fw, x[3], int(1, 5)];
    const info = tryConvInfo(x, filter, strides, dilations, pad);
    if (!info || info.outHeight < 1 || info.outWidth < 1) continue;
    cases.push({ x, filter, strides, dilations, pad });
  }
  return cases;
}

function tryConvInfo(
  x: [number, number, number, number],
  filter: [number, number, number, number],
  strides: [number, number],
  dilations: [number, number],
  pad: PadCase,
): tf.backend_util.Conv2DInfo | undefined {
  try {
    return tf.backend_util.computeConv2DInfo(x, filter, strides, dilations, pad);
  } catch {
    return undefined;
  }
}

export function describeCase(c: ConvCase): string {
  return `x [${c.x.join(',')}] filter [${c.filter.join(',')}] strides [${c.strides.join(',')}] dilations [${c.dilations.join(',')}] pad ${JSON.stringify(c.pad)}`;
}
