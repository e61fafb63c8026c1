import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('sequence', () => {
  it('applies its ops in order', () => {
    const frugal = frugalWithAugment();
    const x = tf.fill([2, 2, 2, 1], 0.2) as tf.Tensor4D;
    const halveThenInvert = buildPipeline(frugal, [{ op: 'sequence', ops: [{ op: 'brightness', factor: 0.5 }, 'invert'] }]);
    const invertThenHalve = buildPipeline(frugal, [{ op: 'sequence', ops: ['invert', { op: 'brightness', factor: 0.5 }] }]);
    for (const v of take(halveThenInvert.apply(x, new Rng(1)))) expect(v).toBeCloseTo(0.9, 6);
    for (const v of take(invertThenHalve.apply(x, new Rng(1)))) expect(v).toBeCloseTo(0.4, 6);
    x.dispose();
  });
});
