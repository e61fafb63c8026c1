import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@frugal/core';

/** A partition of points into `k` clusters. */
export interface Clusters {
  /** The cluster of each point. */
  readonly assignments: Int32Array;
  /** `k × dimensions` centres. */
  readonly centres: Float32Array;
  readonly k: number;
  /** Lloyd iterations run (they stop when no point changes cluster). */
  readonly iterations: number;
}

/** Rows whose distances to every centre are computed in one matrix product. */
const CHUNK = 8192;

/**
 * The cluster of each of the `n × d` points: its nearest centre. Squared distances are
 * |c|² − 2 x·c (|x|² is the same for every centre), in one matrix product a chunk of rows.
 */
export function nearestCentres(points: Float32Array, d: number, centres: Float32Array, k: number): Int32Array {
  const n = points.length / d;
  const out = new Int32Array(n);
  const c = tf.tensor2d(centres, [k, d]);
  const norms = tf.tidy(() => tf.sum(tf.square(c), 1));
  try {
    for (let start = 0; start < n; start += CHUNK) {
      const rows = Math.min(CHUNK, n - start);
      const nearest = tf.tidy(() => {
        const x = tf.tensor2d(points.subarray(start * d, (start + rows) * d), [rows, d]);
        return tf.argMin(tf.sub(norms, tf.mul(tf.matMul(x, c, false, true), 2)), 1);
      });
      out.set(nearest.dataSync() as Int32Array, start);
      nearest.dispose();
    }
  } finally {
    tf.dispose([c, norms]);
  }
  return out;
}

/** k-means++ seeding: each next centre is a point drawn with probability proportional to its squared distance to the nearest centre so far. */
function seedCentres(points: Float32Array, d: number, k: number, rng: Rng): Float32Array {
  const n = points.length / d;
  const centres = new Float32Array(k * d);
  const nearest = new Float64Array(n).fill(Infinity);
  let chosen = rng.int(0, n);
  for (let j = 0; j < k; j++) {
    centres.set(points.subarray(chosen * d, (chosen + 1) * d), j * d);
    let total = 0;
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let t = 0; t < d; t++) {
        const diff = (points[i * d + t] as number) - (centres[j * d + t] as number);
        s += diff * diff;
      }
      if (s < (nearest[i] as number)) nearest[i] = s;
      total += nearest[i] as number;
    }
    if (j + 1 === k) break;
    if (total <= 0) {
      // Every point lies on a centre: the rest repeat this one (their clusters stay empty).
      for (let r = j + 1; r < k; r++) centres.set(points.subarray(chosen * d, (chosen + 1) * d), r * d);
      return centres;
    }
    let target = rng.next() * total;
    chosen = n - 1;
    for (let i = 0; i < n; i++) {
      target -= nearest[i] as number;
      if (target < 0) {
        chosen = i;
        break;
      }
    }
  }
  return centres;
}

/**
 * Lloyd's k-means over `n × d` points (float32 rows), seeded by k-means++ from `rng`: the same
 * points, `k` and seed give the same clusters on the same backend.
 */
export function kMeans(points: Float32Array, d: number, k: number, rng: Rng, maxIterations = 50): Clusters {
  const n = points.length / d;
  if (!Number.isInteger(n) || n < 1) throw new Error(`kMeans: ${points.length} values are not rows of ${d}`);
  if (k < 1 || k > n) throw new Error(`kMeans: k = ${k} must lie in 1..${n} (the number of points)`);
  const centres = seedCentres(points, d, k, rng);
  let assignments = nearestCentres(points, d, centres, k);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations += 1;
    const sums = new Float64Array(k * d);
    const sizes = new Int32Array(k);
    for (let i = 0; i < n; i++) {
      const a = assignments[i] as number;
      sizes[a] = (sizes[a] as number) + 1;
      for (let t = 0; t < d; t++) sums[a * d + t] = (sums[a * d + t] as number) + (points[i * d + t] as number);
    }
    for (let j = 0; j < k; j++) {
      // An empty cluster keeps its centre.
      if (sizes[j]) for (let t = 0; t < d; t++) centres[j * d + t] = (sums[j * d + t] as number) / (sizes[j] as number);
    }
    const next = nearestCentres(points, d, centres, k);
    const moved = next.some((a, i) => a !== assignments[i]);
    assignments = next;
    if (!moved) break;
  }
  return { assignments, centres, k, iterations };
}
