import type { Acquisition } from './acquisition.js';
import { lowestScores } from './acquisition.js';

/** Each row's gap between its two likeliest classes (`classes` probabilities a row). */
export function margins(probabilities: Float32Array, classes: number): Float64Array {
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
  return gap;
}

/** Margin sampling: the images whose two likeliest classes are closest. */
export const margin: Acquisition = {
  name: 'margin',
  description: 'the smallest gap between the two likeliest classes',
  readsPredictions: true,
  select({ unlabelled, count }) {
    return lowestScores(margins(unlabelled.probabilities, unlabelled.classes), count);
  },
};
