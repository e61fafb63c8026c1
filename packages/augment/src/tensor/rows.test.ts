import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { leakedBy, maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { applyToGroups } from './rows.js';

beforeAll(useCpu);

describe('applyToGroups', () => {
  it.each(['host', 'kernels'] as const)('applies each group to its own rows and keeps the order (%s)', (via) => {
    const x = randomImages(6, 2, 2, 1);
    const groups = [
      { indices: Int32Array.from([4, 1]), fn: (rows: tf.Tensor4D) => tf.sub(1, rows) as tf.Tensor4D },
      { indices: Int32Array.from([0]), fn: (rows: tf.Tensor4D) => tf.mul(rows, 0) as tf.Tensor4D },
    ];
    const out = take(applyToGroups(x, groups, { via }));
    const src = x.dataSync();
    const expected = Array.from(src, (v, i) => {
      const row = Math.floor(i / 4);
      return row === 4 || row === 1 ? 1 - v : row === 0 ? 0 : v;
    });
    expect(maxDiff(out, expected)).toBeLessThan(1e-6);
    expect(leakedBy(() => applyToGroups(x, groups, { via }))).toBe(0);
    x.dispose();
  });

  it('refuses overlapping groups and size changes', () => {
    const x = randomImages(3, 2, 2, 1);
    const same = (rows: tf.Tensor4D) => rows.clone();
    expect(() => applyToGroups(x, [{ indices: Int32Array.from([0, 1]), fn: same }, { indices: Int32Array.from([1]), fn: same }])).toThrow(/row 1 is in two groups/);
    expect(() =>
      applyToGroups(x, [{ indices: Int32Array.from([2]), fn: (rows) => tf.image.resizeBilinear(rows, [3, 3]), name: 'resize' }]),
    ).toThrow(/resize turned 2×2×1 images into 3×3×1/);
    x.dispose();
  });
});
