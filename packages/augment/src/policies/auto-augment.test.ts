import { Rng } from '@frugal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { distinctSamples, frugalWithAugment, leakedBy, maxDiff, sameImages, take, useCpu } from '../test-utils.js';
import { IMAGENET_POLICY } from './auto-augment.js';

beforeAll(useCpu);

describe('auto-augment', () => {
  it('holds the 25 two-step ImageNet sub-policies, probabilities in [0, 1], levels in 0..10', () => {
    expect(IMAGENET_POLICY).toHaveLength(25);
    for (const sub of IMAGENET_POLICY) {
      for (const [, p, level] of sub) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expect(level).toBeGreaterThanOrEqual(0);
        expect(level).toBeLessThanOrEqual(10);
      }
    }
  });

  it('varies across the batch, keeps the range, repeats with the seed, frees its tensors', () => {
    const aug = frugalWithAugment().augmentations.create('auto-augment');
    const x = sameImages(32, 10, 10, 3);
    const a = take(aug.apply(x, new Rng(1)));
    expect(distinctSamples(a, 32)).toBeGreaterThan(8);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(maxDiff(a, take(aug.apply(x, new Rng(1))))).toBe(0);
    expect(leakedBy(() => aug.apply(x, new Rng(2)))).toBe(0);
    x.dispose();
  });
});
