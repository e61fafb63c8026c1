import type { EpochSource } from '../train/loop-types.js';
import type { Batch } from '../types.js';
import { EpochOrder, type EpochOrderOptions } from './epoch-order.js';
import type { TaskImages } from './task-images.js';

export interface TaskBatchesOptions extends EpochOrderOptions {
  /** The image item `i` of the task is made of; default: image `i`. */
  readonly imageOf?: (item: number) => number;
  /** The batch of `items` (those of a step whose images could be read), given their images' pixels one after another. */
  readonly batch: (items: Int32Array, pixels: Uint8Array) => Batch;
}

/**
 * Batches of a task of `count` items, each made of one image of `images` (a pretext task's: the
 * image itself, or one of its rotations), epoch by epoch in an `EpochOrder`. Each step's images are
 * read as the epoch goes: from memory, or decoded from disk a few steps ahead. The batches are the
 * same numbers whether the images are in memory or on disk.
 */
export class TaskBatches implements EpochSource {
  readonly stepsPerEpoch: number;
  private readonly epochs: EpochOrder;

  constructor(
    readonly images: TaskImages,
    count: number,
    private readonly options: TaskBatchesOptions,
  ) {
    this.epochs = new EpochOrder(count, options);
    this.stepsPerEpoch = this.epochs.stepsPerEpoch;
  }

  /** The batches of `epoch` from step `skip` on; the caller disposes each batch. A step none of whose images could be read is left out. */
  async *batches(epoch: number, skip = 0): AsyncGenerator<Batch> {
    const steps = this.epochs.batchIndices(epoch).slice(skip);
    const imageOf = this.options.imageOf ?? ((item: number) => item);
    let s = 0;
    for await (const read of this.images.read(steps.map((items) => Int32Array.from(items, imageOf)))) {
      const items = steps[s++] as Int32Array;
      if (read.kept.length) yield this.options.batch(Int32Array.from(read.kept, (k) => items[k] as number), read.pixels);
    }
  }
}
