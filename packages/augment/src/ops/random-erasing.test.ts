import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

describe('random-erasing', () => {
  it('erases one rectangle covering the asked fraction of the area', () => {
    const n = 16;
    const x = tf.ones([n, 20, 20, 1]) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('random-erasing', { p: 1, scale: [0.1, 0.2] });
    for (const image of samples(take(aug.apply(x, new Rng(3))), n)) {
      const erased = image.filter((v) => v === 0).length / 400;
      expect(erased).toBeGreaterThan(0.07);
      expect(erased).toBeLessThan(0.23);
    }
    x.dispose();
  });

  it('fills with noise in [0, 1] when value is random', () => {
    const x = tf.fill([4, 10, 10, 3], 2 / 3) as tf.Tensor4D;
    const aug = frugalWithAugment().augmentations.create('random-erasing', { p: 1, value: 'random' });
    const out = take(aug.apply(x, new Rng(3)));
    expect(out.filter((v) => v !== 2 / 3 && v !== Math.fround(2 / 3)).length).toBeGreaterThan(0);
    expect(Math.min(...out)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...out)).toBeLessThanOrEqual(1);
    x.dispose();
  });
});
