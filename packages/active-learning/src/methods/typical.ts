import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '@frugal/core';
import { kMeans } from '../cluster/k-means.js';
import type { Acquisition } from './acquisition.js';

/** At most this many clusters, and a cluster is chosen from only if it holds this many images (while any does). */
const MAX_CLUSTERS = 500;
const MIN_CLUSTER_SIZE = 5;
/** An image's typicality: the inverse of its mean distance to this many nearest images of its cluster. */
const NEIGHBOURS = 20;
/** A larger cluster's typicality is measured on a seeded sample of this many of its images. */
const SAMPLE = 2000;

/**
 * Rows of `features` (unit length, `d` a row) ordered from the most typical to the least: by the
 * mean distance to their nearest neighbours among `rows`, smallest first.
 */
export function byTypicality(features: Float32Array, d: number, rows: readonly number[]): number[] {
  if (rows.length < 2) return [...rows];
  const k = Math.min(NEIGHBOURS, rows.length - 1);
  const meanDistance = tf.tidy(() => {
    const x = tf.tensor2d(Float32Array.from(rows.flatMap((r) => Array.from(features.subarray(r * d, (r + 1) * d)))), [rows.length, d]);
    const distance = tf.sqrt(tf.relu(tf.sub(2, tf.mul(tf.matMul(x, x, false, true), 2))));
    // The k + 1 nearest include the image itself, at distance 0.
    return tf.div(tf.sum(tf.neg(tf.topk(tf.neg(distance), k + 1).values), 1), k);
  });
  const mean = meanDistance.dataSync();
  meanDistance.dispose();
  return rows.map((row, i) => ({ row, mean: mean[i] as number })).sort((a, b) => a.mean - b.mean || a.row - b.row).map((e) => e.row);
}

/**
 * TypiClust (Hacohen, Dekel and Weinshall, 2022): cluster the labelled and unlabelled images'
 * features into as many clusters as there will be labels; then, again and again, take the
 * cluster with the fewest labels (the largest on a tie) and choose its most typical unlabelled
 * image. Its choices stand for many images each and spread over what the labels leave out, where
 * the least certain images are often outliers, near-duplicates, or crowded into a few classes.
 */
export const typical: Acquisition = {
  name: 'typical',
  description: 'typical images of the clusters of features no label covers (TypiClust)',
  readsPredictions: false,
  select({ unlabelled, labelled, count, rng }) {
    const d = unlabelled.dimensions;
    const nU = unlabelled.indices.length;
    const nL = labelled.indices.length;
    const points = new Float32Array((nU + nL) * d);
    points.set(unlabelled.features);
    points.set(labelled.features, nU * d);
    const k = Math.min(nL + count, MAX_CLUSTERS, nU + nL);
    const { assignments } = kMeans(points, d, k, rng.child('k-means'));
    const size = new Int32Array(k);
    const covered = new Int32Array(k);
    const members: number[][] = Array.from({ length: k }, () => []);
    assignments.forEach((c, i) => {
      size[c] = (size[c] as number) + 1;
      if (i < nU) (members[c] as number[]).push(i);
      else covered[c] = (covered[c] as number) + 1;
    });
    const ranked = new Map<number, { rows: number[]; next: number }>();
    const left = (c: number): number => {
      const r = ranked.get(c);
      return r ? r.rows.length - r.next : (members[c] as number[]).length;
    };
    const chosen: number[] = [];
    while (chosen.length < count) {
      const open = Array.from({ length: k }, (_, c) => c).filter((c) => left(c) > 0);
      if (open.length === 0) break;
      const large = open.filter((c) => (size[c] as number) >= MIN_CLUSTER_SIZE);
      const cluster = (large.length ? large : open).reduce((best, c) =>
        (covered[c] as number) < (covered[best] as number) || ((covered[c] as number) === (covered[best] as number) && (size[c] as number) > (size[best] as number)) ? c : best,
      );
      let r = ranked.get(cluster);
      if (!r) {
        r = { rows: byTypicality(unlabelled.features, d, sample(members[cluster] as number[], rng.child(`cluster-${cluster}`))), next: 0 };
        ranked.set(cluster, r);
      }
      chosen.push(r.rows[r.next] as number);
      r.next += 1;
      covered[cluster] = (covered[cluster] as number) + 1;
    }
    return chosen;
  },
};

/** At most SAMPLE of `rows`, drawn without repeats, in their order. */
function sample(rows: number[], rng: Rng): number[] {
  if (rows.length <= SAMPLE) return rows;
  const keep = Array.from(rng.permutation(rows.length).subarray(0, SAMPLE)).sort((a, b) => a - b);
  return keep.map((i) => rows[i] as number);
}
