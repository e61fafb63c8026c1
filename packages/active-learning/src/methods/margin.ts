import type { Acquisition } from './acquisition.js';
import { lowestScores } from './acquisition.js';

/** Margin sampling: the images whose two likeliest classes are closest. */
export const margin: Acquisition = {
  name: 'margin',
  description: "the images the model is least sure of: the smallest gap between its two likeliest classes",
  select({ unlabelled, count }) {
    const { probabilities, classes } = unlabelled;
    const rows = probabilities.length / classes;
    const gap = new Float64Array(rows);
    for (let i = 0; i < rows; i++) {
      let first = 0;
      let second = 0;
      for (let j = 0; j < classes; j++) {
        const p = probabilities[i * classes + j] as number;
        if (p > first) [first, second] = [p, first];
        else if (p > second) second = p;
      }
      gap[i] = first - second;
    }
    return lowestScores(gap, count);
  },
};
