import type { Rng } from '@frugal/core';

/** One value per sample, uniform in [low, high]. */
export function drawUniform(rng: Rng, n: number, [low, high]: readonly [number, number]): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = low === high ? low : rng.uniform(low, high);
  return out;
}

/** One integer per sample, uniform in [low, high] (both included). */
export function drawInt(rng: Rng, n: number, low: number, high: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.int(low, high + 1);
  return out;
}

/** One sign (+1 or -1) per sample, each with probability 1/2. */
export function drawSigns(rng: Rng, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.bernoulli(0.5) ? -1 : 1;
  return out;
}

/** Indices of the samples chosen, each independently with probability `p`. */
export function drawSelected(rng: Rng, n: number, p: number): Int32Array {
  if (p >= 1) return Int32Array.from({ length: n }, (_, i) => i);
  const chosen: number[] = [];
  for (let i = 0; i < n; i++) if (rng.bernoulli(p)) chosen.push(i);
  return Int32Array.from(chosen);
}

/** The values of `values` at `indices`. */
export function pick(values: Float32Array, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = values[indices[i] as number] as number;
  return out;
}
