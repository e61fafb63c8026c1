import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('some-of', () => {
  it('applies n distinct ops per sample, in list order, with different subsets across the batch', () => {
    const n = 30;
    const x = tf.fill([n, 1, 1, 1], 0.2) as tf.Tensor4D;
    const aug = buildPipeline(frugalWithAugment(), [
      { op: 'some-of', n: 2, ops: [{ op: 'brightness', factor: 0.5 }, 'invert', { op: 'brightness', factor: 0.25 }] },
    ]);
    // ×0.5 then invert: 0.9; ×0.5 then ×0.25: 0.025; invert then ×0.25: 0.2.
    const values = samples(take(aug.apply(x, new Rng(4))), n).map((s) => Number((s[0] as number).toFixed(5)));
    for (const v of values) expect([0.9, 0.025, 0.2]).toContain(v);
    expect(new Set(values).size).toBe(3);
    x.dispose();
  });

  it('says when n is larger than the list', () => {
    expect(() => buildPipeline(frugalWithAugment(), [{ op: 'some-of', n: 3, ops: ['invert', 'flip'] }])).toThrow(/n cannot exceed/);
  });
});
