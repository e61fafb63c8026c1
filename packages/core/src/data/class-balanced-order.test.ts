import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { BatchSource } from './batches.js';
import { classBalancedOrder } from './class-balanced-order.js';

// 40 images of class 0, 8 of class 1, 2 of class 2: a folder with a rare class.
const labels = Int32Array.from([...new Array(40).fill(0), ...new Array(8).fill(1), ...new Array(2).fill(2)]);
const classOf = (i: number) => labels[i] as number;

describe('classBalancedOrder', () => {
  it('draws every class equally often, to within one', () => {
    const order = classBalancedOrder(labels, 50, new Rng(1));
    const counts = [0, 0, 0];
    for (const i of order) counts[classOf(i)]! += 1;
    expect(counts.sort()).toEqual([16, 17, 17]);
  });

  it('draws each class\'s images without repeats until all have come', () => {
    const order = Array.from(classBalancedOrder(labels, 48, new Rng(2)));
    const ofClass1 = order.filter((i) => classOf(i) === 1);
    expect(ofClass1).toHaveLength(16);
    // Two passes over class 1's 8 images, each a permutation of them.
    expect(new Set(ofClass1.slice(0, 8)).size).toBe(8);
    expect(new Set(ofClass1.slice(8)).size).toBe(8);
    // Class 0's 16 are 16 different images of its 40.
    expect(new Set(order.filter((i) => classOf(i) === 0)).size).toBe(16);
  });

  it('depends only on the stream: the same seed, the same order; another seed, another', () => {
    expect(classBalancedOrder(labels, 30, new Rng(3))).toEqual(classBalancedOrder(labels, 30, new Rng(3)));
    expect(classBalancedOrder(labels, 30, new Rng(3))).not.toEqual(classBalancedOrder(labels, 30, new Rng(4)));
  });

  it('passes over unlabelled rows (-1)', () => {
    const order = classBalancedOrder(Int32Array.from([-1, 0, -1, 1]), 6, new Rng(5));
    expect(new Set(order)).toEqual(new Set([1, 3]));
  });
});

describe('BatchSource with balanceClasses', () => {
  it('gives each epoch as many images, every class equally often', () => {
    const set = { shape: [1, 1, 1] as const, pixels: new Uint8Array(labels.length), labels, classNames: ['a', 'b', 'c'] };
    const counts = (balanceClasses: boolean) => {
      const source = new BatchSource(set, { batchSize: 10, shuffle: { rng: new Rng(6) }, numClasses: 3, balanceClasses });
      const out = [0, 0, 0];
      for (const batch of source.batchIndices(2)) for (const i of batch) out[classOf(i)]! += 1;
      return out;
    };
    expect(counts(false)).toEqual([40, 8, 2]);
    expect(counts(true).sort()).toEqual([16, 17, 17]);
  });
});
