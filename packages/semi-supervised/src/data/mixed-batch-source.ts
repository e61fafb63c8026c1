import { classBalancedOrder, imageBatch, isStreamed, oneHotTargets, type Batch, type EpochSource, type ImageSet, type Rng, type StreamedImageSet } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

/**
 * A batch of labelled images followed by unlabelled (or pseudo-labelled) ones: `x` and `y` hold
 * both parts, the first `labelledRows` rows being the labelled images.
 */
export interface MixedBatch extends Batch {
  readonly labelledRows: number;
  /** The unlabelled rows' images: their indices in the unlabelled set. */
  readonly unlabelledImages?: Int32Array;
}

export function isMixedBatch(batch: Batch): batch is MixedBatch {
  return typeof (batch as Partial<MixedBatch>).labelledRows === 'number';
}

/** The row count of the labelled part of a batch from a `MixedBatchSource`. */
export function labelledRowsOf(batch: Batch): number {
  if (!isMixedBatch(batch)) throw new Error('Expected a batch from a MixedBatchSource (labelled rows, then unlabelled rows)');
  return batch.labelledRows;
}

export interface MixedBatchSourceOptions {
  /** Labelled images per batch. */
  readonly labelledBatchSize: number;
  /** Unlabelled images per batch (FixMatch's μ × B, or the pseudo-label ratio × B). */
  readonly unlabelledBatchSize: number;
  readonly numClasses: number;
  /** Orders of every epoch derive from this stream and the epoch number only. */
  readonly rng: Rng;
  /** Target rows (`n × numClasses`) of the unlabelled images, e.g. pseudo-labels; absent: zero rows. */
  readonly unlabelledTargets?: Float32Array;
  /** Steps per epoch; default: enough for one pass over the larger side. */
  readonly stepsPerEpoch?: number;
  readonly labelSmoothing?: number;
  /** Every class equally often among the labelled images of an epoch, the rare ones repeated (`classBalancedOrder`). */
  readonly balanceClasses?: boolean;
}

/** Images in an in-memory or a streamed set. */
export function imageCount(set: ImageSet | StreamedImageSet): number {
  return isStreamed(set) ? set.count : set.labels.length;
}

type StepIndices = { labelled: Int32Array; unlabelled: Int32Array };

/**
 * Batches that draw a fixed number of labelled and of unlabelled images at every step; the smaller
 * side is cycled (a fresh permutation per pass). Like core's `BatchSource` it is stateless: the
 * batches of (epoch, step) depend only on the seed, so a resumed run sees what it would have seen.
 *
 * The unlabelled images may be a `StreamedImageSet` (a folder read from disk): then each step's
 * unlabelled images are decoded as the epoch goes, a few steps ahead, and only those are in
 * memory; the batches are the same numbers as from the same images in memory.
 */
export class MixedBatchSource implements EpochSource {
  readonly stepsPerEpoch: number;

  constructor(
    readonly labelled: ImageSet,
    readonly unlabelled: ImageSet | StreamedImageSet,
    private readonly options: MixedBatchSourceOptions,
  ) {
    const nl = labelled.labels.length;
    const nu = imageCount(unlabelled);
    const { labelledBatchSize: bl, unlabelledBatchSize: bu, numClasses } = options;
    if (nl === 0) throw new Error('MixedBatchSource: the labelled set is empty');
    if (nu === 0) throw new Error('MixedBatchSource: the unlabelled set is empty');
    if (!(Number.isInteger(bl) && bl >= 1) || !(Number.isInteger(bu) && bu >= 1)) {
      throw new Error(`MixedBatchSource: batch sizes must be positive integers, got ${bl} labelled and ${bu} unlabelled`);
    }
    if (labelled.shape.join('x') !== unlabelled.shape.join('x')) {
      throw new Error(`MixedBatchSource: labelled images are ${labelled.shape.join('×')}, unlabelled ${unlabelled.shape.join('×')}`);
    }
    if (options.unlabelledTargets && options.unlabelledTargets.length !== nu * numClasses) {
      throw new Error(`MixedBatchSource: ${options.unlabelledTargets.length} target values for ${nu} images × ${numClasses} classes`);
    }
    this.stepsPerEpoch = options.stepsPerEpoch ?? Math.max(Math.ceil(nl / bl), Math.ceil(nu / bu));
  }

  /** `count` indices of 0..n-1 for `epoch`: permutations of the set, one after another (the labelled side class-balanced when asked). */
  private stream(side: 'labelled' | 'unlabelled', n: number, count: number, epoch: number): Int32Array {
    const out = new Int32Array(count);
    const rng = this.options.rng.child(`${side}/epoch-${epoch}`);
    if (side === 'labelled' && this.options.balanceClasses) return classBalancedOrder(this.labelled.labels, count, rng);
    for (let filled = 0, pass = 0; filled < count; pass++) {
      const perm = rng.child(`pass-${pass}`).permutation(n);
      const take = Math.min(n, count - filled);
      out.set(perm.subarray(0, take), filled);
      filled += take;
    }
    return out;
  }

  /** Labelled and unlabelled indices of every step of `epoch`. */
  batchIndices(epoch: number): { labelled: Int32Array; unlabelled: Int32Array }[] {
    const { labelledBatchSize: bl, unlabelledBatchSize: bu } = this.options;
    const steps = this.stepsPerEpoch;
    const l = this.stream('labelled', this.labelled.labels.length, steps * bl, epoch);
    const u = this.stream('unlabelled', imageCount(this.unlabelled), steps * bu, epoch);
    return Array.from({ length: steps }, (_, s) => ({
      labelled: l.subarray(s * bl, (s + 1) * bl),
      unlabelled: u.subarray(s * bu, (s + 1) * bu),
    }));
  }

  /** Builds one batch: images in [0, 1]; labelled one-hot rows, then the unlabelled target rows. */
  batch(indices: StepIndices): MixedBatch {
    if (isStreamed(this.unlabelled)) throw new Error('MixedBatchSource: the unlabelled images are streamed; read them through batches()');
    return this.build(indices.labelled, this.unlabelled, indices.unlabelled);
  }

  /** The batch of labelled images `labelled` and unlabelled images `rows` of `unlabelled` (set indices `targetsOf` for their targets). */
  private build(labelledIndices: Int32Array, unlabelled: ImageSet, rowsOf: Int32Array, targetsOf: Int32Array = rowsOf): MixedBatch {
    const { numClasses, unlabelledTargets, labelSmoothing } = this.options;
    const labels = Array.from(labelledIndices, (j) => {
      const y = this.labelled.labels[j] as number;
      if (y < 0) throw new Error(`MixedBatchSource: labelled image ${this.labelled.origins?.[j] ?? j} has no label (-1)`);
      return y;
    });
    const rows = new Float32Array(rowsOf.length * numClasses);
    if (unlabelledTargets) {
      targetsOf.forEach((j, i) => rows.set(unlabelledTargets.subarray(j * numClasses, (j + 1) * numClasses), i * numClasses));
    }
    const { x, y } = tf.tidy(() => ({
      x: tf.concat([imageBatch(this.labelled, labelledIndices), imageBatch(unlabelled, rowsOf)]),
      y: tf.concat([oneHotTargets(labels, numClasses, labelSmoothing ?? 0), tf.tensor2d(rows, [rowsOf.length, numClasses])]),
    }));
    return { x: x as tf.Tensor4D, y: y as tf.Tensor2D, labelledRows: labelledIndices.length, unlabelledImages: Int32Array.from(targetsOf) };
  }

  /** The batches of `epoch` from step `skip` on; the caller disposes `x` and `y` of each. */
  batches(epoch: number, skip = 0): Iterable<MixedBatch> | AsyncIterable<MixedBatch> {
    const all = this.batchIndices(epoch).slice(skip);
    const unlabelled = this.unlabelled;
    if (isStreamed(unlabelled)) return this.streamedBatches(all, unlabelled);
    return this.inMemoryBatches(all, unlabelled);
  }

  private *inMemoryBatches(all: StepIndices[], unlabelled: ImageSet): Generator<MixedBatch> {
    for (const step of all) yield this.build(step.labelled, unlabelled, step.unlabelled);
  }

  /** Each step's unlabelled images decoded from disk, a few steps ahead of the one in use. */
  private async *streamedBatches(all: StepIndices[], unlabelled: StreamedImageSet): AsyncGenerator<MixedBatch> {
    if (all.length === 0) return;
    const bu = this.options.unlabelledBatchSize;
    const order = new Int32Array(all.length * bu);
    all.forEach((step, s) => order.set(step.unlabelled, s * bu));
    const [h, w, c] = unlabelled.shape;
    let s = 0;
    // One read batch per step: each step's unlabelled images, in order.
    for await (const read of unlabelled.read(order, { batchSize: bu })) {
      const step = all[s++] as StepIndices;
      const set: ImageSet = { shape: [h, w, c], pixels: read.pixels, labels: new Int32Array(read.indices.length).fill(-1), classNames: unlabelled.classNames };
      yield this.build(step.labelled, set, Int32Array.from(read.indices, (_, i) => i), read.indices);
    }
  }
}
