import { kMeans } from '../cluster/k-means.js';
import type { Acquisition } from './acquisition.js';
import { lowestScores } from './acquisition.js';
import { margins } from './margin.js';

/** The uncertain images clustered: this many times as many as are chosen. */
const POOL = 10;

/**
 * Margin sampling made diverse (after Cluster-Margin, Citovsky et al. 2021): the 10 × count
 * images with the smallest margins are clustered on their features into `count` clusters, and
 * each cluster gives its least certain image, so that no two choices are near-duplicates.
 */
export const diverseMargin: Acquisition = {
  name: 'diverse-margin',
  description: 'the least sure image of each cluster of the least sure ones',
  readsPredictions: true,
  select({ unlabelled, count, rng }) {
    const gap = margins(unlabelled.probabilities, unlabelled.classes);
    const pool = lowestScores(gap, count * POOL);
    const d = unlabelled.dimensions;
    const points = new Float32Array(pool.length * d);
    pool.forEach((row, i) => points.set(unlabelled.features.subarray(row * d, (row + 1) * d), i * d));
    const { assignments } = kMeans(points, d, Math.min(count, pool.length), rng.child('k-means'));
    // The pool is in margin order: the first member of a cluster is its least certain image.
    const chosen = new Map<number, number>();
    assignments.forEach((cluster, i) => chosen.has(cluster) || chosen.set(cluster, pool[i] as number));
    const picks = new Set(chosen.values());
    // A cluster left empty: the next least certain images fill its place.
    for (const row of pool) if (picks.size < count) picks.add(row);
    return [...picks].sort((a, b) => (gap[a] as number) - (gap[b] as number) || a - b);
  },
};
