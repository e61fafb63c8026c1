import { concat, subset, type ImageSet, type Rng } from '@frugal/core';

export interface TransferSet {
  /** Labelled images first, then unlabelled ones (label -1). */
  readonly images: ImageSet;
  /** Per-image target rows (`n × classes`): the one-hot (optionally smoothed) label, or zeros. */
  readonly targets: Float32Array;
  readonly labelled: number;
  readonly unlabelled: number;
}

/**
 * The images the student learns from: every labelled image, plus (optionally, at most `limit`,
 * a seeded random choice) the unlabelled ones. Unlabelled rows have all-zero targets, so that
 * only the distillation term sees them.
 */
export function transferSet(
  labelled: ImageSet,
  unlabelled: ImageSet | undefined,
  options: { numClasses: number; labelSmoothing?: number; limit?: number; rng: Rng },
): TransferSet {
  let extra = unlabelled && unlabelled.labels.length > 0 ? unlabelled : undefined;
  if (extra && options.limit !== undefined && options.limit < extra.labels.length) {
    extra = subset(extra, options.rng.permutation(extra.labels.length).subarray(0, options.limit));
  }
  if (extra) extra = { ...extra, labels: new Int32Array(extra.labels.length).fill(-1) };
  const images = extra ? concat(labelled, extra) : labelled;
  const c = options.numClasses;
  const smoothing = options.labelSmoothing ?? 0;
  const targets = new Float32Array(images.labels.length * c);
  for (let i = 0; i < labelled.labels.length; i++) {
    const y = labelled.labels[i] as number;
    if (y < 0 || y >= c) throw new Error(`Labelled image ${labelled.origins?.[i] ?? i} has label ${y}, outside 0..${c - 1}`);
    targets.fill(smoothing / c, i * c, (i + 1) * c);
    targets[i * c + y] = 1 - smoothing + smoothing / c;
  }
  return { images, targets, labelled: labelled.labels.length, unlabelled: extra?.labels.length ?? 0 };
}
