import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasMagnitude } from '../types.js';
import { frugalWithAugment, maxDiff, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

const mean = (v: ArrayLike<number>) => Array.from(v).reduce((a, b) => a + b, 0) / v.length;

describe('brightness', () => {
  it('moves the mean by the factor: mean × 1.5 when nothing clips', () => {
    const x = tf.randomUniform([4, 8, 8, 3], 0, 0.6, 'float32', 1) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('brightness', { factor: 1.5 });
    const out = samples(take(aug.apply(x, new Rng(1))), 4);
    samples(Float32Array.from(x.dataSync()), 4).forEach((src, i) => expect(mean(out[i] as Float32Array)).toBeCloseTo(1.5 * mean(src), 5));
    x.dispose();
  });

  it('clips at 1', () => {
    const x = tf.fill([1, 2, 2, 3], 0.8) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('brightness', { factor: 2 });
    expect(Math.max(...take(aug.apply(x, new Rng(1))))).toBe(1);
    x.dispose();
  });

  it('maps RandAugment levels as timm: level 5 is no change, increasing levels move away from 1', () => {
    const aug = frugalWithAugment().augmentations.create('brightness');
    if (!hasMagnitude(aug)) throw new Error('brightness should take a magnitude');
    const x = tf.fill([4, 2, 2, 3], 0.5) as tf.Tensor4D;
    expect(maxDiff(take(aug.applyAtMagnitude(x, new Float32Array(4).fill(5), new Rng(1))), x.dataSync())).toBeLessThan(1e-6);
    const inc = take(aug.applyAtMagnitude(x, new Float32Array(4).fill(10), new Rng(1), { increasing: true }));
    for (const s of samples(inc, 4)) expect([0.05, 0.95]).toContainEqual(Number((s[0] as number).toFixed(5)));
    x.dispose();
  });
});
