import type { ImageSet } from '../types.js';
import { indicesByClass } from './indices-by-class.js';

/** How much more often the largest labelled class may come than the smallest before a run says so. */
export const UNEVEN_CLASS_RATIO = 4;

/**
 * A note when the labelled images' largest class has `UNEVEN_CLASS_RATIO` times as many images as
 * the smallest, naming both and the field that evens them out; undefined otherwise.
 */
export function unevenClassesNote(set: ImageSet): string | undefined {
  const present = indicesByClass(set.labels).map(({ label, indices }) => ({ label, count: indices.length }));
  if (present.length < 2) return undefined;
  const most = present.reduce((a, b) => (b.count > a.count ? b : a));
  const least = present.reduce((a, b) => (b.count < a.count ? b : a));
  if (most.count < UNEVEN_CLASS_RATIO * least.count) return undefined;
  return (
    `Note: the labelled classes are uneven, from ${most.count} images of "${set.classNames[most.label]}" to ${least.count} of "${set.classNames[least.label]}"; ` +
    'train.balanceClasses: true draws every class equally often'
  );
}
