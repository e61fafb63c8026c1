import { Rng, subset } from '@frugal/core';
import { stripes, useCpu } from '@frugal/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { DistillBatches } from './distill-batches.js';
import { transferSet } from './transfer-set.js';

beforeAll(useCpu);

/** 2, 6 and 6 labelled images of the three classes. */
function uneven() {
  const all = stripes(30, 1);
  const seen = [0, 0, 0];
  const kept: number[] = [];
  all.labels.forEach((y, i) => {
    if (seen[y]! < (y === 0 ? 2 : 6)) {
      seen[y]!++;
      kept.push(i);
    }
  });
  return subset(all, kept);
}

/** How many images of each class one epoch's batches hold (their one-hot targets). */
function epochClassCounts(batches: DistillBatches): number[] {
  const counts = [0, 0, 0];
  for (const batch of batches.batches(0)) {
    const classes = tf.argMax(batch.y, 1);
    for (const y of classes.dataSync()) counts[y]!++;
    tf.dispose([classes, batch.x, batch.y]);
  }
  return counts;
}

describe('DistillBatches', () => {
  it('with balanceClasses draws every class equally often in an epoch, the rare one repeated', () => {
    const set = transferSet(uneven(), undefined, { numClasses: 3, rng: new Rng(1) });
    const options = { batchSize: 4, shuffle: { rng: new Rng(2) }, numClasses: 3 };
    expect(epochClassCounts(new DistillBatches(set, options))).toEqual([2, 6, 6]);
    expect(epochClassCounts(new DistillBatches(set, { ...options, balanceClasses: true })).sort()).toEqual([4, 5, 5]);
  });
});
