import type { Rng } from '../rng.js';
import { indicesByClass } from './indices-by-class.js';

/**
 * `limit` of a labelled set's images, every class as equally represented as its size allows: the
 * classes give one image each in turn (a class whose images run out stops giving), each class's
 * images drawn in a seeded random order. The indices come back in image order.
 */
export function classBalancedSubset(labels: Int32Array, limit: number, rng: Rng): Int32Array {
  const classes = indicesByClass(labels).map(({ label, indices }) => {
    const order = [...indices];
    rng.child(`class-${label}`).shuffle(order);
    return order;
  });
  const total = classes.reduce((sum, indices) => sum + indices.length, 0);
  const chosen: number[] = [];
  for (let turn = 0; chosen.length < Math.min(limit, total); turn++) {
    for (const indices of classes) {
      if (turn < indices.length && chosen.length < limit) chosen.push(indices[turn] as number);
    }
  }
  return Int32Array.from(chosen).sort();
}
