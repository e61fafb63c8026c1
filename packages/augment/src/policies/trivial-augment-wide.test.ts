import { Rng } from '@frugal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { distinctSamples, frugalWithAugment, leakedBy, maxDiff, sameImages, take, useCpu } from '../test-utils.js';
import { TRIVIAL_AUGMENT_OPS } from './trivial-augment-wide.js';

beforeAll(useCpu);

describe('trivial-augment-wide', () => {
  it("covers torchvision's 14 ops", () => {
    expect(TRIVIAL_AUGMENT_OPS).toHaveLength(14);
  });

  it('gives each image one op at its own magnitude, repeatably and without leaks', () => {
    const aug = frugalWithAugment().augmentations.create('trivial-augment-wide');
    const x = sameImages(32, 10, 10, 3);
    const a = take(aug.apply(x, new Rng(1)));
    expect(distinctSamples(a, 32)).toBeGreaterThan(16);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(maxDiff(a, take(aug.apply(x, new Rng(1))))).toBe(0);
    expect(leakedBy(() => aug.apply(x, new Rng(2)))).toBe(0);
    x.dispose();
  });
});
