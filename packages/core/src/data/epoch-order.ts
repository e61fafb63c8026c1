import type { Rng } from '../rng.js';
import { classBalancedOrder } from './class-balanced-order.js';

/** The order of a set's images, epoch by epoch, cut into steps. */
export interface EpochOrderOptions {
  batchSize: number;
  /** Reshuffled every epoch from `rng` and the epoch number (stateless, so resumes match). */
  shuffle?: { rng: Rng } | false;
  /** Drop a last, smaller batch. */
  dropLast?: boolean;
  /** The images' labels, for `balanceClasses`. */
  labels?: Int32Array;
  /** With `shuffle`: every class equally often in each epoch, the rare ones repeated (`classBalancedOrder`). */
  balanceClasses?: boolean;
}

/**
 * Which images of a set of `count` each step of an epoch takes. Each epoch's order depends only
 * on the seed and the epoch, so a run resumed at (epoch, step) sees exactly the batches it would
 * have seen.
 */
export class EpochOrder {
  readonly stepsPerEpoch: number;

  constructor(
    readonly count: number,
    private readonly options: EpochOrderOptions,
  ) {
    if (count === 0) throw new Error('EpochOrder: the image set is empty');
    const full = Math.floor(count / options.batchSize);
    this.stepsPerEpoch = options.dropLast && full > 0 ? full : Math.ceil(count / options.batchSize);
  }

  /** Sample order of `epoch`. */
  order(epoch: number): Int32Array {
    const n = this.count;
    const { shuffle, balanceClasses, labels } = this.options;
    if (!shuffle) return Int32Array.from({ length: n }, (_, i) => i);
    const rng = shuffle.rng.child(`epoch-${epoch}`);
    return balanceClasses && labels ? classBalancedOrder(labels, n, rng) : rng.permutation(n);
  }

  /** Indices of every batch of `epoch`. */
  batchIndices(epoch: number): Int32Array[] {
    const order = this.order(epoch);
    const { batchSize } = this.options;
    const out: Int32Array[] = [];
    for (let s = 0; s < this.stepsPerEpoch; s++) out.push(order.subarray(s * batchSize, Math.min((s + 1) * batchSize, order.length)));
    return out;
  }
}
