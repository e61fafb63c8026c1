import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, maxDiff, randomImages, samples, take, useCpu } from '../test-utils.js';
import { flipImages } from './flip.js';

beforeAll(useCpu);

describe('flip', () => {
  it('flipped twice is the identity, on both axes', () => {
    const x = randomImages(2, 5, 6, 3);
    for (const axis of ['horizontal', 'vertical'] as const) {
      const twice = tf.tidy(() => flipImages(flipImages(x, axis), axis));
      expect(maxDiff(take(twice), x.dataSync())).toBe(0);
    }
    x.dispose();
  });

  it('mirrors columns (horizontal) or rows (vertical)', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
    expect(Array.from(take(flipImages(x, 'horizontal')))).toEqual([3, 2, 1, 6, 5, 4]);
    expect(Array.from(take(flipImages(x, 'vertical')))).toEqual([4, 5, 6, 1, 2, 3]);
    x.dispose();
  });

  it('flips each sample with probability p: every output is the input or its mirror, both occur', () => {
    const n = 32;
    const x = randomImages(n, 4, 4, 1);
    const aug = frugalWithAugment().augmentations.create('flip', { p: 0.5 });
    const out = samples(take(aug.apply(x, new Rng(1))), n);
    const original = samples(Float32Array.from(x.dataSync()), n);
    const mirrored = samples(take(flipImages(x)), n);
    let flipped = 0;
    out.forEach((o, i) => {
      const same = maxDiff(o, original[i] as Float32Array) === 0;
      const mirror = maxDiff(o, mirrored[i] as Float32Array) === 0;
      expect(same || mirror).toBe(true);
      if (!same) flipped++;
    });
    expect(flipped).toBeGreaterThan(8);
    expect(flipped).toBeLessThan(24);
    x.dispose();
  });
});
