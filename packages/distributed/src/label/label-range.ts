import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, InferenceModel, normalize, pseudoLabelLines } from '@frugal/core';
import { streamImageBatches, type DecodePool, type ManifestEntry, type SkippedImage } from '@frugal/data';
import type { Teacher } from '../teacher/teacher.js';

export interface LabelRangeOptions {
  /** Images per forward pass (default 64). */
  batchSize?: number;
  /** Batches decoded ahead (default 2). */
  readAhead?: number;
  pool?: DecodePool;
  diskCache?: string;
  /** Called after each batch with the images of the range done so far. */
  onProgress?: (done: number) => void | Promise<void>;
}

/** A range of images labelled: its pseudo-label lines, in manifest order, and the images that did not decode. */
export interface LabelledRange {
  readonly text: string;
  readonly labelled: number;
  readonly skipped: SkippedImage[];
}

/**
 * Pseudo-labels `entries` (of the folder `root`) with the teacher: streamed batches, softmax in
 * inference mode, one JSON line per image. An image that cannot be decoded is reported with its
 * path and left out; the rest are labelled.
 */
export async function labelRange(teacher: Teacher, root: string, entries: readonly ManifestEntry[], options: LabelRangeOptions = {}): Promise<LabelledRange> {
  const { card, model, decode } = teacher;
  const shape = [decode.height, decode.width, decode.channels] as const;
  let text = '';
  let labelled = 0;
  const skipped: SkippedImage[] = [];
  const stream = streamImageBatches(root, entries, decode, {
    batchSize: options.batchSize ?? 64,
    readAhead: options.readAhead ?? 2,
    skipBadImages: true,
    ...(options.pool ? { pool: options.pool } : {}),
    ...(options.diskCache ? { diskCache: options.diskCache } : {}),
  });
  let done = 0;
  const inference = new InferenceModel(model);
  try {
    for await (const batch of stream) {
      skipped.push(...batch.skipped);
      if (batch.indices.length) {
        const probabilities = tf.tidy(() => {
          const set = { shape, pixels: batch.pixels, labels: new Int32Array(batch.indices.length), classNames: card.classNames };
          const x = imageBatch(set, batch.indices.map((_, i) => i));
          return tf.softmax(inference.predict(normalize(x, card.normalization)) as tf.Tensor2D);
        });
        const values = (await probabilities.data()) as Float32Array;
        probabilities.dispose();
        text += pseudoLabelLines(batch.indices.map((i) => entries[i]!.path), values, card.classNames);
        labelled += batch.indices.length;
      }
      done = Math.min(entries.length, batch.start + (options.batchSize ?? 64));
      await options.onProgress?.(done);
    }
  } finally {
    inference.dispose();
  }
  return { text, labelled, skipped };
}
