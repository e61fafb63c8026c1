import * as tf from '@tensorflow/tfjs-core';
import { imageBatch, InferenceModel, normalize } from '@frugal/core';
import { streamImageBatches, type DecodePool, type ManifestEntry, type SkippedImage } from '@frugal/data';
import type { Teacher } from '../teacher/teacher.js';

export interface EvalRangeOptions {
  batchSize?: number;
  pool?: DecodePool;
  onProgress?: (done: number) => void | Promise<void>;
}

/** The logits of a range of labelled images, row after row, with the labels of those that decoded. */
export interface EvaluatedRange {
  readonly logits: number[];
  readonly labels: number[];
  readonly skipped: SkippedImage[];
}

/** Runs the model (inference mode) over `entries` of the folder `root`, whose labels are `labels`. */
export async function evalRange(
  teacher: Teacher,
  root: string,
  entries: readonly ManifestEntry[],
  labels: readonly number[],
  options: EvalRangeOptions = {},
): Promise<EvaluatedRange> {
  const { card, model, decode } = teacher;
  const shape = [decode.height, decode.width, decode.channels] as const;
  const batchSize = options.batchSize ?? 64;
  const out: EvaluatedRange = { logits: [], labels: [], skipped: [] };
  const stream = streamImageBatches(root, entries, decode, { batchSize, skipBadImages: true, ...(options.pool ? { pool: options.pool } : {}) });
  const inference = new InferenceModel(model);
  try {
    for await (const batch of stream) {
      out.skipped.push(...batch.skipped);
      if (batch.indices.length) {
        const logits = tf.tidy(() => {
          const set = { shape, pixels: batch.pixels, labels: new Int32Array(batch.indices.length), classNames: card.classNames };
          return inference.predict(normalize(imageBatch(set, batch.indices.map((_, i) => i)), card.normalization)) as tf.Tensor2D;
        });
        const values = await logits.data();
        logits.dispose();
        for (const v of values) out.logits.push(v);
        for (const i of batch.indices) out.labels.push(labels[i]!);
      }
      await options.onProgress?.(Math.min(entries.length, batch.start + batchSize));
    }
  } finally {
    inference.dispose();
  }
  return out;
}
