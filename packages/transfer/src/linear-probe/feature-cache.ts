import { BatchSource, imageBatch, normalize, oneHotTargets, withInferenceModel, type Batch, type EpochSource, type ImageSet, type Normalization, type Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';

/** The outputs of a frozen backbone for every image of a set, computed once. */
export interface FeatureCache {
  /** Row-major, `count × size`. */
  readonly values: Float32Array;
  /** Shape of one image's features (`[featureDim]` for pooled features). */
  readonly shape: readonly number[];
  readonly size: number;
  readonly count: number;
}

/** Runs `backbone` in inference mode over `set` (normalised as in training) and keeps the features. */
export function computeFeatures(backbone: LayersModel, set: ImageSet, normalization: Normalization, batchSize = 128): FeatureCache {
  const count = set.labels.length;
  let values = new Float32Array(0);
  let shape: number[] = [];
  withInferenceModel(backbone, (inference) => {
    for (let start = 0; start < count; start += batchSize) {
      const indices = Array.from({ length: Math.min(batchSize, count - start) }, (_, i) => start + i);
      const out = tf.tidy(() => inference.predict(normalize(imageBatch(set, indices), normalization)) as tf.Tensor);
      if (start === 0) {
        shape = out.shape.slice(1);
        values = new Float32Array(count * (out.size / indices.length));
      }
      values.set(out.dataSync() as Float32Array, start * (values.length / count));
      out.dispose();
    }
  });
  const size = shape.reduce((a, b) => a * b, 1);
  return { values, shape, size, count };
}

/** Features of the cached images `indices`, as a `[n, ...shape]` tensor. */
export function cachedRows(cache: FeatureCache, indices: ArrayLike<number>): tf.Tensor {
  const rows = new Float32Array(indices.length * cache.size);
  for (let i = 0; i < indices.length; i++) {
    const j = indices[i] as number;
    rows.set(cache.values.subarray(j * cache.size, (j + 1) * cache.size), i * cache.size);
  }
  return tf.tensor(rows, [indices.length, ...cache.shape]);
}

export interface FeatureBatchOptions {
  batchSize: number;
  shuffle: { rng: Rng };
  numClasses: number;
  labelSmoothing?: number;
  /** Every class equally often in an epoch (`train.balanceClasses`). */
  balanceClasses?: boolean;
}

/**
 * Batches of cached features in the order a `BatchSource` over the same images would give (same
 * seed, same batches). Each batch's `x` holds the features as `[n, 1, 1, size]`; `features(batch)`
 * gives them back in their own shape.
 */
export class FeatureBatches implements EpochSource {
  readonly stepsPerEpoch: number;
  private readonly order: BatchSource;

  constructor(
    private readonly cache: FeatureCache,
    private readonly set: ImageSet,
    private readonly options: FeatureBatchOptions,
  ) {
    this.order = new BatchSource(set, options);
    this.stepsPerEpoch = this.order.stepsPerEpoch;
  }

  *batches(epoch: number, skip = 0): Generator<Batch> {
    const all = this.order.batchIndices(epoch);
    for (let s = skip; s < all.length; s++) {
      const indices = all[s] as Int32Array;
      const x = tf.tidy(() => tf.reshape(cachedRows(this.cache, indices), [indices.length, 1, 1, this.cache.size]) as tf.Tensor4D);
      const y = oneHotTargets(Array.from(indices, (j) => this.set.labels[j] as number), this.options.numClasses, this.options.labelSmoothing ?? 0);
      yield { x, y };
    }
  }

  /** A batch's features in their own shape (a new tensor). */
  features(batch: Batch): tf.Tensor {
    return tf.reshape(batch.x, [batch.x.shape[0], ...this.cache.shape]);
  }
}
