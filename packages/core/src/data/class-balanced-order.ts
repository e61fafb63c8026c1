import type { Rng } from '../rng.js';
import { indicesByClass } from './indices-by-class.js';

/**
 * `count` image indices in which every class present in `labels` comes equally often (to within
 * one), in a random order: the rare classes' images are repeated, each class's images drawn
 * without repeats until all have come, then again in a new order. What PyTorch's
 * `WeightedRandomSampler` with weights 1 / class count gives on average, exactly. Depends only on
 * `rng`, so the same stream gives the same order.
 */
export function classBalancedOrder(labels: Int32Array, count: number, rng: Rng): Int32Array {
  const classes = indicesByClass(labels);
  if (classes.length === 0) throw new Error('classBalancedOrder: no labelled image');
  const cursors = classes.map(({ label, indices }) => ({ label, images: indices, order: new Int32Array(0) as Int32Array<ArrayBufferLike>, at: 0, pass: 0 }));
  // Slot i holds class i mod k: every class count / k times (to within one); the slots are then shuffled.
  const slots = rng.child('slots').permutation(count);
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const k = (slots[i] as number) % classes.length;
    const cursor = cursors[k] as (typeof cursors)[number];
    if (cursor.at === cursor.order.length) {
      cursor.order = rng.child(`class-${cursor.label}/pass-${cursor.pass++}`).permutation(cursor.images.length);
      cursor.at = 0;
    }
    out[i] = cursor.images[cursor.order[cursor.at++] as number] as number;
  }
  return out;
}
