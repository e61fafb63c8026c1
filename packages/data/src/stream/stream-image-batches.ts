import { FrugalInputError } from '@frugal/core';
import type { SkippedImage } from '../image/decode-images.js';
import { decodeParamsKey, type DecodeParams } from '../image/decode-options.js';
import type { DecodeBatchResult } from './decode-batch-task.js';
import { DecodePool } from './decode-pool.js';
import type { ManifestEntry } from './manifest-entry.js';

export interface ImageBatchStreamOptions {
  /** Images per batch. */
  batchSize: number;
  /** Batches decoded ahead of the one being used (default 2): memory is about batchSize × (readAhead + 1) images. */
  readAhead?: number;
  /** Decoding threads, when no `pool` is given (default 1). */
  threads?: number;
  /** Decoding threads to use (and leave open); default: a pool of `threads`, closed at the end. */
  pool?: DecodePool;
  /** A folder of decoded pixels to read from and fill (the disk image cache). */
  diskCache?: string;
  /** Leave unreadable images out (reported in each batch's `skipped`) instead of failing. */
  skipBadImages?: boolean;
}

/** A batch of decoded images from a manifest. */
export interface ImageBatch {
  /** Index (in the entries streamed) of the batch's first image, decoded or not. */
  readonly start: number;
  /** Indices (in the entries streamed) of the images in `pixels`, ascending. */
  readonly indices: readonly number[];
  /** The decoded images, one after another, each `height × width × channels`. */
  readonly pixels: Uint8Array;
  /** Images of this batch that could not be decoded (paths relative to the root). */
  readonly skipped: readonly SkippedImage[];
}

function batchOf(start: number, entries: readonly ManifestEntry[], result: DecodeBatchResult, imageSize: number): ImageBatch {
  const indices: number[] = [];
  for (let i = 0; i < entries.length; i++) if (result.ok[i]) indices.push(start + i);
  let pixels = result.pixels;
  if (indices.length !== entries.length) {
    pixels = new Uint8Array(indices.length * imageSize);
    indices.forEach((index, to) => {
      const from = index - start;
      pixels.set(result.pixels.subarray(from * imageSize, (from + 1) * imageSize), to * imageSize);
    });
  }
  const skipped = result.failures.map(({ index, reason }) => ({ file: entries[index]!.path, reason }));
  return { start, indices, pixels, skipped };
}

/**
 * Decoded batches of the images `entries` (of a manifest rooted at `root`), in order, decoded in
 * worker threads with at most `readAhead` batches waiting: memory stays O(batch × read-ahead)
 * however many images there are.
 */
export async function* streamImageBatches(
  root: string,
  entries: readonly ManifestEntry[],
  params: DecodeParams,
  options: ImageBatchStreamOptions,
): AsyncGenerator<ImageBatch> {
  const { batchSize } = options;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be a whole number >= 1, got ${batchSize}`);
  const readAhead = options.readAhead ?? 2;
  const imageSize = params.height * params.width * params.channels;
  const paramsKey = decodeParamsKey(params);
  const pool = options.pool ?? new DecodePool(options.threads ?? 1);
  const pending: { start: number; entries: readonly ManifestEntry[]; result: Promise<DecodeBatchResult> }[] = [];
  let next = 0;
  const fill = () => {
    while (pending.length <= readAhead && next < entries.length) {
      const slice = entries.slice(next, next + batchSize);
      const result = pool.decode({ root, entries: slice, params, paramsKey, ...(options.diskCache ? { cacheDir: options.diskCache } : {}) });
      // Awaited in order below; until then a rejection must not count as unhandled.
      result.catch(() => undefined);
      pending.push({ start: next, entries: slice, result });
      next += slice.length;
    }
  };
  try {
    fill();
    while (pending.length) {
      const head = pending.shift()!;
      const batch = batchOf(head.start, head.entries, await head.result, imageSize);
      fill();
      const bad = batch.skipped[0];
      if (bad && !options.skipBadImages) {
        throw new FrugalInputError(
          `Image "${bad.file}" could not be decoded (${bad.reason}); remove it or set skipBadImages: true in the dataset's params`,
        );
      }
      yield batch;
    }
  } finally {
    await Promise.allSettled(pending.map((p) => p.result));
    if (!options.pool) await pool.close();
  }
}
