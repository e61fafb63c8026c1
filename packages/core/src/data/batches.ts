import * as tf from '@tensorflow/tfjs-core';
import { EpochOrder, type EpochOrderOptions } from './epoch-order.js';
import type { Batch, ImageSet, Normalization } from '../types.js';

/** Images `indices` of `set` as a float32 NHWC tensor with values in [0, 1]. */
export function imageBatch(set: ImageSet, indices: ArrayLike<number>): tf.Tensor4D {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const values = new Float32Array(indices.length * size);
  for (let i = 0; i < indices.length; i++) {
    const offset = (indices[i] as number) * size;
    const src = set.pixels.subarray(offset, offset + size);
    const dst = i * size;
    for (let k = 0; k < size; k++) values[dst + k] = (src[k] as number) / 255;
  }
  return tf.tensor4d(values, [indices.length, h, w, c]);
}

/** Images one after another (uint8 HWC, `shape` each) as a float32 NHWC tensor with values in [0, 1]. */
export function pixelBatch(pixels: Uint8Array, shape: readonly [number, number, number]): tf.Tensor4D {
  const [h, w, c] = shape;
  return tf.tensor4d(Float32Array.from(pixels, (v) => v / 255), [pixels.length / (h * w * c), h, w, c]);
}

/** (x - mean) / std per channel, for x in [0, 1]. */
export function normalize(x: tf.Tensor4D, norm: Normalization): tf.Tensor4D {
  return tf.tidy(() => {
    const channels = x.shape[3];
    const mean = norm.mean.length === channels ? norm.mean : new Array<number>(channels).fill(norm.mean[0] ?? 0);
    const std = norm.std.length === channels ? norm.std : new Array<number>(channels).fill(norm.std[0] ?? 1);
    return tf.div(tf.sub(x, tf.tensor1d(mean as number[])), tf.tensor1d(std as number[]));
  });
}

/** One-hot rows for integer labels (optionally smoothed). */
export function oneHotTargets(labels: ArrayLike<number>, numClasses: number, smoothing = 0): tf.Tensor2D {
  const values = new Float32Array(labels.length * numClasses).fill(smoothing / numClasses);
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i] as number;
    if (y < 0 || y >= numClasses) throw new Error(`Label ${y} of batch row ${i} is outside 0..${numClasses - 1}`);
    values[i * numClasses + y] = 1 - smoothing + smoothing / numClasses;
  }
  return tf.tensor2d(values, [labels.length, numClasses]);
}

export interface BatchSourceOptions extends Omit<EpochOrderOptions, 'labels'> {
  /** Per-image target rows (`n × numClasses`), e.g. soft pseudo-labels; default: one-hot labels. */
  targets?: Float32Array;
  numClasses: number;
  labelSmoothing?: number;
}

/** Batches of an in-memory image set, epoch by epoch, in an `EpochOrder`. */
export class BatchSource {
  readonly stepsPerEpoch: number;
  private readonly epochs: EpochOrder;

  constructor(
    readonly set: ImageSet,
    private readonly options: BatchSourceOptions,
  ) {
    const n = set.labels.length;
    if (n === 0) throw new Error('BatchSource: the image set is empty');
    if (options.targets && options.targets.length !== n * options.numClasses) {
      throw new Error(`BatchSource: ${options.targets.length} target values for ${n} images × ${options.numClasses} classes`);
    }
    this.epochs = new EpochOrder(n, { ...options, labels: set.labels });
    this.stepsPerEpoch = this.epochs.stepsPerEpoch;
  }

  /** Sample order of `epoch`. */
  order(epoch: number): Int32Array {
    return this.epochs.order(epoch);
  }

  /** Indices of every batch of `epoch`. */
  batchIndices(epoch: number): Int32Array[] {
    return this.epochs.batchIndices(epoch);
  }

  /** Builds the batch for the given indices: images in [0, 1], targets per row. */
  batch(indices: Int32Array): Batch {
    const x = imageBatch(this.set, indices);
    const { targets, numClasses, labelSmoothing } = this.options;
    let y: tf.Tensor2D;
    if (targets) {
      const rows = new Float32Array(indices.length * numClasses);
      for (let i = 0; i < indices.length; i++) {
        const j = indices[i] as number;
        rows.set(targets.subarray(j * numClasses, (j + 1) * numClasses), i * numClasses);
      }
      y = tf.tensor2d(rows, [indices.length, numClasses]);
    } else {
      y = oneHotTargets(Array.from(indices, (j) => this.set.labels[j] as number), numClasses, labelSmoothing ?? 0);
    }
    return { x, y };
  }

  /** The batches of `epoch` from step `skip` on; the caller disposes each batch. */
  *batches(epoch: number, skip = 0): Generator<Batch> {
    const all = this.batchIndices(epoch);
    for (let s = skip; s < all.length; s++) yield this.batch(all[s] as Int32Array);
  }
}
