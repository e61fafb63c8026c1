import type { Acquisition } from './acquisition.js';

/** Images drawn uniformly at random (from the seed): the baseline the others are measured against. */
export const random: Acquisition = {
  name: 'random',
  description: 'at random, from the seed: the baseline',
  readsPredictions: false,
  select({ unlabelled, count, rng }) {
    return Array.from(rng.permutation(unlabelled.indices.length).subarray(0, count));
  },
};
