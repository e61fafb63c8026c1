import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { cropAndResizeImages, drawResizedCrop } from './random-resized-crop.js';

beforeAll(useCpu);

describe('random-resized-crop', () => {
  it('keeps the whole image at scale 1 and ratio 1', () => {
    const x = randomImages(3, 8, 8, 3);
    const aug = frugalWithAugment().augmentations.create('random-resized-crop', { scale: [1, 1], ratio: [1, 1] });
    expect(maxDiff(take(aug.apply(x, new Rng(1))), x.dataSync())).toBeLessThan(1e-6);
    x.dispose();
  });

  it('resizes to size, and a crop reads exactly its box', () => {
    const x = randomImages(2, 8, 8, 1);
    const aug = frugalWithAugment().augmentations.create('random-resized-crop', { size: [5, 4] });
    const out = aug.apply(x, new Rng(2));
    expect(out.shape).toEqual([2, 5, 4, 1]);
    out.dispose();
    // A 4×4 box at (2, 3) resized to 4×4 is the box itself.
    const box = take(cropAndResizeImages(tf.slice(x, 0, 1) as tf.Tensor4D, [{ top: 2, left: 3, height: 4, width: 4 }], [4, 4]));
    const expected = take(tf.slice(x, [0, 2, 3, 0], [1, 4, 4, 1]));
    expect(maxDiff(box, expected)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('draws boxes inside the image with the asked area and ratio', () => {
    const rng = new Rng(3);
    for (let i = 0; i < 200; i++) {
      const b = drawResizedCrop(rng, 32, 48, [0.2, 0.6], [0.5, 2]);
      expect(b.top).toBeGreaterThanOrEqual(0);
      expect(b.left).toBeGreaterThanOrEqual(0);
      expect(b.top + b.height).toBeLessThanOrEqual(32);
      expect(b.left + b.width).toBeLessThanOrEqual(48);
      const area = (b.height * b.width) / (32 * 48);
      expect(area).toBeGreaterThan(0.15);
      expect(area).toBeLessThan(0.7);
    }
  });

  it('falls back to a centre crop when no draw fits', () => {
    const b = drawResizedCrop(new Rng(1), 10, 100, [1, 1], [1, 1]);
    expect(b).toEqual({ top: 0, left: 45, height: 10, width: 10 });
  });
});
