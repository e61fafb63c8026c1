import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('random-order', () => {
  it('applies every op, each sample in its own order', () => {
    const n = 24;
    const x = tf.fill([n, 1, 1, 1], 0.2) as tf.Tensor4D;
    const aug = buildPipeline(frugalWithAugment(), [{ op: 'random-order', ops: [{ op: 'brightness', factor: 0.5 }, 'invert'] }]);
    const values = samples(take(aug.apply(x, new Rng(6))), n).map((s) => Number((s[0] as number).toFixed(5)));
    for (const v of values) expect([0.9, 0.4]).toContain(v);
    expect(new Set(values).size).toBe(2);
    x.dispose();
  });
});
