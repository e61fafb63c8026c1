import { BatchSource, type Batch, type EpochSource, type Rng } from '@frugal/core';
import { cachedRows, type FeatureCache } from '@frugal/transfer';
import * as tf from '@tensorflow/tfjs-core';
import type { TransferSet } from './transfer-set.js';

/**
 * Batches of the transfer set (images in [0, 1], target rows with zeros for unlabelled images),
 * each with the teacher's cached outputs for its images when there is a cache. The cached rows
 * live until the loop asks for the next batch.
 */
export class DistillBatches implements EpochSource {
  readonly stepsPerEpoch: number;
  private readonly source: BatchSource;
  private readonly attached = new WeakMap<Batch, tf.Tensor[]>();

  constructor(
    set: TransferSet,
    options: { batchSize: number; shuffle: { rng: Rng }; numClasses: number; balanceClasses?: boolean },
    private readonly teacherCache?: readonly FeatureCache[],
  ) {
    this.source = new BatchSource(set.images, { ...options, targets: set.targets });
    this.stepsPerEpoch = this.source.stepsPerEpoch;
  }

  *batches(epoch: number, skip = 0): Generator<Batch> {
    const all = this.source.batchIndices(epoch);
    for (let s = skip; s < all.length; s++) {
      const indices = all[s] as Int32Array;
      const batch = this.source.batch(indices);
      const cached = this.teacherCache?.map((cache) => cachedRows(cache, indices));
      if (cached) this.attached.set(batch, cached);
      try {
        yield batch;
      } finally {
        if (cached) tf.dispose(cached);
      }
    }
  }

  /** The teacher's cached outputs for a batch of this source (logits first), if cached. */
  teacherOutputs(batch: Batch): tf.Tensor[] | undefined {
    return this.attached.get(batch);
  }
}
