import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('one-of', () => {
  it('gives each sample exactly one of its ops, both in use', () => {
    const n = 24;
    const x = tf.fill([n, 2, 2, 1], 0.2) as tf.Tensor4D;
    const aug = buildPipeline(frugalWithAugment(), [{ op: 'one-of', ops: ['invert', { op: 'brightness', factor: 0.5 }] }]);
    const firsts = samples(take(aug.apply(x, new Rng(2))), n).map((s) => Number((s[0] as number).toFixed(5)));
    for (const v of firsts) expect([0.8, 0.1]).toContain(v);
    expect(new Set(firsts).size).toBe(2);
    x.dispose();
  });

  it('follows weights, and a weight of 0 is never chosen', () => {
    const n = 32;
    const x = tf.fill([n, 1, 1, 1], 0.2) as tf.Tensor4D;
    const aug = buildPipeline(frugalWithAugment(), [{ op: 'one-of', ops: ['invert', 'grayscale'], weights: [0, 1] }]);
    for (const v of take(aug.apply(x, new Rng(2)))) expect(v).toBeCloseTo(0.2, 6);
    x.dispose();
  });

  it('checks there is one weight per op', () => {
    expect(() => buildPipeline(frugalWithAugment(), [{ op: 'one-of', ops: ['invert', 'flip'], weights: [1] }])).toThrow(
      /augment\[0\] \(one-of\)\.weights: .*one weight per op/,
    );
  });
});
