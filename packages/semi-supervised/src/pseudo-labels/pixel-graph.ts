import type { ImageSet, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { unitRows } from '../losses/unit-rows.js';

/** Each image's nearest neighbours: row i of `neighbours` and `weights` holds image i's `k`. */
export interface NeighbourGraph {
  readonly count: number;
  readonly k: number;
  /** `count × k` image indices. */
  readonly neighbours: Int32Array;
  /** `count × k` edge weights: the cosine similarity, cubed (0 where it is negative). */
  readonly weights: Float32Array;
}

export interface PixelGraphOptions {
  /** Neighbours of each image. */
  readonly neighbours: number;
  /** Principal components of the pixels the similarities are measured in. */
  readonly dimensions: number;
  /** Seeds the principal components' first guess. */
  readonly rng: Rng;
}

/** Rows an image chunk holds at once (pixels, projections, similarities). */
const CHUNK = 1024;
/** Subspace iterations that find the principal components. */
const POWER_ITERATIONS = 6;

/** The images of several sets as one list, read in chunks of rows. */
class PixelRows {
  readonly count: number;
  readonly size: number;

  constructor(private readonly sets: readonly ImageSet[]) {
    this.count = sets.reduce((n, s) => n + s.labels.length, 0);
    const [h, w, c] = sets[0]!.shape;
    this.size = h * w * c;
  }

  /** Rows `[start, start + count)` as `[count, size]` values in [0, 1]. */
  rows(start: number, count: number): tf.Tensor2D {
    const out = new Float32Array(count * this.size);
    let at = 0;
    let offset = 0;
    for (const set of this.sets) {
      const n = set.labels.length;
      const from = Math.max(start, offset);
      const to = Math.min(start + count, offset + n);
      if (from < to) {
        const pixels = set.pixels.subarray((from - offset) * this.size, (to - offset) * this.size);
        for (let i = 0; i < pixels.length; i++) out[at + i] = (pixels[i] as number) / 255;
        at += pixels.length;
      }
      offset += n;
    }
    return tf.tensor2d(out, [count, this.size]);
  }

  chunks(): [start: number, count: number][] {
    return Array.from({ length: Math.ceil(this.count / CHUNK) }, (_, i) => [i * CHUNK, Math.min(CHUNK, this.count - i * CHUNK)]);
  }
}

/**
 * The images' centred pixels projected on their first `dimensions` principal components
 * (subspace iteration on the covariance, one chunk of images at a time): `[count, dimensions]`.
 */
function principalComponents(images: PixelRows, dimensions: number, rng: Rng): tf.Tensor2D {
  const mean = tf.tidy(() =>
    tf.div(images.chunks().reduce((sum, [s, n]) => tf.add(sum, tf.sum(images.rows(s, n), 0)), tf.zeros([images.size])), images.count),
  );
  const centred = (s: number, n: number) => tf.sub(images.rows(s, n), mean) as tf.Tensor2D;
  const guess = Float32Array.from({ length: images.size * dimensions }, () => rng.normal());
  let basis = tf.tidy(() => tf.linalg.qr(tf.tensor2d(guess, [images.size, dimensions]))[0]);
  for (let i = 0; i < POWER_ITERATIONS; i++) {
    const next = tf.tidy(() => {
      // The covariance times the basis, Σ xᵀ(x·basis), without the covariance itself.
      const product = images.chunks().reduce((sum, [s, n]) => {
        const x = centred(s, n);
        return tf.add(sum, tf.matMul(x, tf.matMul(x, basis), true, false));
      }, tf.zeros([images.size, dimensions]));
      return tf.linalg.qr(product as tf.Tensor2D)[0];
    });
    basis.dispose();
    basis = next;
  }
  const projected = tf.tidy(() => tf.concat(images.chunks().map(([s, n]) => tf.matMul(centred(s, n), basis))) as tf.Tensor2D);
  tf.dispose([mean, basis]);
  return projected;
}

/**
 * The `neighbours` nearest images of each image (itself left out) by the cosine similarity of
 * their pixels' principal components, the graph that label propagation (Zhou et al. 2004) spreads
 * labels over. Images are rows of the sets, in order.
 */
export function pixelGraph(sets: readonly ImageSet[], options: PixelGraphOptions): NeighbourGraph {
  const images = new PixelRows(sets);
  const k = options.neighbours;
  const n = images.count;
  const neighbours = new Int32Array(n * k);
  const weights = new Float32Array(n * k);
  // Each image's k + 1 most similar images, itself among them.
  const width = Math.min(k + 1, n);
  const projected = principalComponents(images, options.dimensions, options.rng);
  const unit = unitRows(projected);
  projected.dispose();
  try {
    for (const [start, count] of images.chunks()) {
      const { values, indices } = tf.tidy(() => tf.topk(tf.matMul(tf.slice(unit, [start, 0], [count, -1]), unit, false, true), width));
      const sims = values.dataSync();
      const ids = indices.dataSync();
      tf.dispose([values, indices]);
      for (let r = 0; r < count; r++) {
        const self = start + r;
        let taken = 0;
        for (let c = 0; c < width && taken < k; c++) {
          const j = ids[r * width + c] as number;
          if (j === self) continue;
          const at = self * k + taken++;
          neighbours[at] = j;
          weights[at] = Math.max(0, sims[r * width + c] as number) ** 3;
        }
        // Fewer images than neighbours: the missing edges point at the image itself with no weight.
        for (; taken < k; taken++) neighbours[self * k + taken] = self;
      }
    }
  } finally {
    unit.dispose();
  }
  return { count: n, k, neighbours, weights };
}
