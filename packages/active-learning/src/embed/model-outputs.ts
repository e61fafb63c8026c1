import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { imageBatch, InferenceModel, normalize, type ImageSet, type Normalization, type StreamedImageSet } from '@frugal/core';

/** A model's view of a set of images: its softmax and its features, one row an image. */
export interface ModelOutputs {
  /** Indices (into the set) of the images seen, in order; an image that could not be decoded is left out. */
  readonly indices: Int32Array;
  /** `indices.length × classes` softmax values. */
  readonly probabilities: Float32Array;
  /** `indices.length × features` values of the model's `features` layer, each row scaled to unit length. */
  readonly features: Float32Array;
  readonly classes: number;
  readonly dimensions: number;
  /** Images that could not be decoded: path and reason. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/** The layer every Frugal model names for its pooled features (the input of its classifier). */
export const FEATURES_LAYER = 'features';

/**
 * Runs `model` in inference mode over every image of `set` (in memory, or read from disk in
 * batches), giving its softmax and the unit-length outputs of its `features` layer.
 */
export async function modelOutputs(
  model: LayersModel,
  set: ImageSet | StreamedImageSet,
  options: { normalization: Normalization; batchSize?: number; onProgress?: (done: number, total: number) => void },
): Promise<ModelOutputs> {
  const batchSize = options.batchSize ?? 64;
  const both = functionalModel({ inputs: model.inputs, outputs: [model.outputs[0], model.getLayer(FEATURES_LAYER).output] as never });
  const inference = new InferenceModel(both);
  const count = 'count' in set ? set.count : set.labels.length;
  const indices: number[] = [];
  const probabilities: Float32Array[] = [];
  const features: Float32Array[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let classes = 0;
  let dimensions = 0;
  const run = async (pixels: Uint8Array, batchIndices: ArrayLike<number>): Promise<void> => {
    const rows = batchIndices.length;
    const [p, f] = tf.tidy(() => {
      const batch = { shape: set.shape, pixels, labels: new Int32Array(rows), classNames: set.classNames };
      const x = normalize(imageBatch(batch, Array.from({ length: rows }, (_, i) => i)), options.normalization);
      const [logits, pooled] = inference.predict(x) as tf.Tensor[];
      const flat = tf.reshape(pooled as tf.Tensor, [rows, -1]);
      const length = tf.maximum(tf.sqrt(tf.sum(tf.square(flat), 1, true)), 1e-12);
      return [tf.softmax(logits as tf.Tensor2D), tf.div(flat, length)];
    });
    classes = p.shape[1] as number;
    dimensions = f.shape[1] as number;
    probabilities.push((await p.data()) as Float32Array);
    features.push((await f.data()) as Float32Array);
    tf.dispose([p, f]);
    indices.push(...Array.from(batchIndices));
    options.onProgress?.(indices.length + skipped.length, count);
  };
  try {
    if ('count' in set) {
      const all = Int32Array.from({ length: count }, (_, i) => i);
      for await (const batch of set.read(all, { batchSize, skipBadImages: true })) {
        skipped.push(...batch.skipped);
        if (batch.indices.length) await run(batch.pixels, batch.indices);
      }
    } else {
      const size = set.shape[0] * set.shape[1] * set.shape[2];
      for (let start = 0; start < count; start += batchSize) {
        const end = Math.min(count, start + batchSize);
        await run(set.pixels.subarray(start * size, end * size), Array.from({ length: end - start }, (_, i) => start + i));
      }
    }
  } finally {
    inference.dispose();
  }
  return { indices: Int32Array.from(indices), probabilities: concat(probabilities), features: concat(features), classes, dimensions, skipped };
}

function concat(parts: readonly Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, part) => n + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
