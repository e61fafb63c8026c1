import type { Acquisition } from './acquisition.js';
import { lowestScores } from './acquisition.js';

/** Entropy sampling: the images whose predicted distribution over the classes is flattest. */
export const entropy: Acquisition = {
  name: 'entropy',
  description: 'the flattest predicted distribution',
  readsPredictions: true,
  select({ unlabelled, count }) {
    const { probabilities, classes } = unlabelled;
    const rows = probabilities.length / classes;
    const negative = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let sum = 0;
      for (let j = 0; j < classes; j++) {
        const p = probabilities[i * classes + j] as number;
        if (p > 0) sum += p * Math.log(p);
      }
      negative[i] = sum;
    }
    return lowestScores(negative, count);
  },
};
