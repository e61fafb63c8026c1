import type { ImageSet, StreamedImageSet } from '../types.js';

/** Whether a set of images is read from disk in batches. */
export function isStreamed(set: ImageSet | StreamedImageSet): set is StreamedImageSet {
  return typeof (set as Partial<StreamedImageSet>).read === 'function';
}

/** The images `indices` of `set`, copied into a new set (labels replaced by `labels` if given). */
export function subset(set: ImageSet, indices: ArrayLike<number>, labels?: Int32Array): ImageSet {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const pixels = new Uint8Array(indices.length * size);
  const out = new Int32Array(indices.length);
  const origins: string[] | undefined = set.origins ? [] : undefined;
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    pixels.set(set.pixels.subarray(j * size, (j + 1) * size), i * size);
    out[i] = labels ? (labels[i] as number) : (set.labels[j] as number);
    origins?.push(set.origins?.[j] as string);
  }
  return { shape: set.shape, pixels, labels: out, classNames: set.classNames, origins };
}

/** The images of `a` followed by those of `b` (same shape and classes). */
export function concat(a: ImageSet, b: ImageSet): ImageSet {
  if (a.shape.join('x') !== b.shape.join('x')) {
    throw new Error(`Cannot join image sets of shapes ${a.shape.join('×')} and ${b.shape.join('×')}`);
  }
  const pixels = new Uint8Array(a.pixels.length + b.pixels.length);
  pixels.set(a.pixels);
  pixels.set(b.pixels, a.pixels.length);
  const labels = new Int32Array(a.labels.length + b.labels.length);
  labels.set(a.labels);
  labels.set(b.labels, a.labels.length);
  const origins = a.origins && b.origins ? [...a.origins, ...b.origins] : undefined;
  return { shape: a.shape, pixels, labels, classNames: a.classNames, origins };
}

/** Number of images in a set. */
export function size(set: ImageSet): number {
  return set.labels.length;
}
