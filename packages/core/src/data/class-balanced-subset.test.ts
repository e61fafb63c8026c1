import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { classBalancedSubset } from './class-balanced-subset.js';

const counts = (labels: Int32Array, indices: Int32Array) => {
  const out = [0, 0, 0];
  for (const i of indices) out[labels[i] as number]!++;
  return out;
};

describe('classBalancedSubset', () => {
  // 2 images of class 0, 30 of class 1, 8 of class 2.
  const labels = Int32Array.from([...Array(2).fill(0), ...Array(30).fill(1), ...Array(8).fill(2)]);

  it('takes each class equally, a small class whole, the others sharing what it leaves', () => {
    expect(counts(labels, classBalancedSubset(labels, 9, new Rng(1)))).toEqual([2, 4, 3]);
    expect(counts(labels, classBalancedSubset(labels, 20, new Rng(1)))).toEqual([2, 10, 8]);
    expect(counts(labels, classBalancedSubset(labels, 40, new Rng(1)))).toEqual([2, 30, 8]);
  });

  it('draws distinct images in image order, the same for the same seed', () => {
    const a = classBalancedSubset(labels, 12, new Rng(3));
    expect(new Set(a).size).toBe(12);
    expect(Array.from(a)).toEqual([...a].sort((x, y) => x - y));
    expect(classBalancedSubset(labels, 12, new Rng(3))).toEqual(a);
    expect(classBalancedSubset(labels, 12, new Rng(4))).not.toEqual(a);
  });
});
