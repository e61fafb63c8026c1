import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../rng.js';
import { classBalancedOrder } from './class-balanced-order.js';
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

export interface BatchSourceOptions {
  batchSize: number;
  /** Reshuffled every epoch from `rng` and the epoch number (stateless, so resumes match). */
  shuffle?: { rng: Rng } | false;
  /** Drop a last, smaller batch. */
  dropLast?: boolean;
  /** Per-image target rows (`n × numClasses`), e.g. soft pseudo-labels; default: one-hot labels. */
  targets?: Float32Array;
  numClasses: number;
  labelSmoothing?: number;
  /** With `shuffle`: every class equally often in each epoch, the rare ones repeated (`classBalancedOrder`). */
  balanceClasses?: boolean;
}

/**
 * Batches of an in-memory image set, epoch by epoch. Each epoch's order depends only on the seed
 * and the epoch, so a run resumed at (epoch, step) sees exactly the batches it would have seen.
 */
export class BatchSource {
  readonly stepsPerEpoch: number;

  constructor(
    readonly set: ImageSet,
    private readonly options: BatchSourceOptions,
  ) {
    const n = set.labels.length;
    if (n === 0) throw new Error('BatchSource: the image set is empty');
    if (options.targets && options.targets.length !== n * options.numClasses) {
      throw new Error(`BatchSource: ${options.targets.length} target values for ${n} images × ${options.numClasses} classes`);
    }
    const full = Math.floor(n / options.batchSize);
    this.stepsPerEpoch = options.dropLast && full > 0 ? full : Math.ceil(n / options.batchSize);
  }

  /** Sample order of `epoch`. */
  order(epoch: number): Int32Array {
    const n = this.set.labels.length;
    if (!this.options.shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    const rng = this.options.shuffle.rng.child(`epoch-${epoch}`);
    return this.options.balanceClasses ? classBalancedOrder(this.set.labels, n, rng) : rng.permutation(n);
  }

  /** Indices of every batch of `epoch`. */
  batchIndices(epoch: number): Int32Array[] {
    const order = this.order(epoch);
    const { batchSize } = this.options;
    const out: Int32Array[] = [];
    for (let s = 0; s < this.stepsPerEpoch; s++) out.push(order.subarray(s * batchSize, Math.min((s + 1) * batchSize, order.length)));
    return out;
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
