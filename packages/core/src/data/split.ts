import { FrugalInputError } from '../errors.js';
import type { Rng } from '../rng.js';
import type { ImageSet } from '../types.js';
import { subset } from './image-set.js';

export interface SplitOptions {
  /** Labelled images kept per class (or `labelledFraction` of each class; neither: all but the validation images). */
  labelledPerClass?: number;
  labelledFraction?: number;
  /** Validation images per class, taken from what is not labelled. */
  validationPerClass?: number;
  rng: Rng;
}

export interface Split {
  readonly labelled: ImageSet;
  /** The rest: labels hidden (-1); the true labels kept apart for diagnostics only. */
  readonly unlabelled: ImageSet;
  readonly unlabelledTrueLabels: Int32Array;
  readonly validation?: ImageSet;
}

/**
 * A seeded, class-balanced split: `labelledPerClass` images of every class keep their label, an
 * optional validation set per class, the rest become unlabelled.
 */
export function splitLabelled(set: ImageSet, options: SplitOptions): Split {
  const numClasses = set.classNames.length;
  const byClass: number[][] = Array.from({ length: numClasses }, () => []);
  set.labels.forEach((y, i) => {
    if (y < 0 || y >= numClasses) throw new Error(`Image ${set.origins?.[i] ?? i} has label ${y}, outside 0..${numClasses - 1}`);
    (byClass[y] as number[]).push(i);
  });
  const labelled: number[] = [];
  const validation: number[] = [];
  const rest: number[] = [];
  byClass.forEach((indices, y) => {
    options.rng.child(`class-${y}`).shuffle(indices);
    const val = options.validationPerClass ?? 0;
    const { labelledPerClass, labelledFraction } = options;
    const take =
      labelledPerClass ?? (labelledFraction !== undefined ? Math.max(1, Math.round(labelledFraction * indices.length)) : Math.max(1, indices.length - val));
    if (indices.length < take + val) {
      const lower = labelledPerClass !== undefined ? 'labelledPerClass' : labelledFraction !== undefined ? 'labelledFraction' : 'validationPerClass';
      throw new FrugalInputError(
        `Class "${set.classNames[y]}" has ${indices.length} image${indices.length === 1 ? '' : 's'}; the split asks for ${take} labelled` +
          (val ? ` + ${val} validation` : '') + `. Lower ${lower} or add images.`,
      );
    }
    labelled.push(...indices.slice(0, take));
    validation.push(...indices.slice(take, take + val));
    rest.push(...indices.slice(take + val));
  });
  options.rng.child('order').shuffle(labelled);
  const hidden = subset(set, rest, new Int32Array(rest.length).fill(-1));
  return {
    labelled: subset(set, labelled),
    unlabelled: hidden,
    unlabelledTrueLabels: Int32Array.from(rest, (i) => set.labels[i] as number),
    validation: validation.length ? subset(set, validation) : undefined,
  };
}
