import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, samples, take, useCpu } from '../test-utils.js';
import { saturationImages } from './saturation.js';

beforeAll(useCpu);

describe('saturation', () => {
  it('factor 0 turns every pixel grey (R = G = B = luma); factor 1 keeps the image', () => {
    const x = randomImages(2, 4, 4, 3);
    const grey = take(saturationImages(x, [0, 0]));
    const src = x.dataSync();
    for (let p = 0; p < grey.length; p += 3) {
      const luma = 0.299 * (src[p] as number) + 0.587 * (src[p + 1] as number) + 0.114 * (src[p + 2] as number);
      for (let c = 0; c < 3; c++) expect(grey[p + c]).toBeCloseTo(luma, 5);
    }
    expect(maxDiff(take(saturationImages(x, [1, 1])), src)).toBeLessThan(1e-6);
    x.dispose();
  });

  it('leaves one-channel images as they are', () => {
    const x = randomImages(2, 4, 4, 1);
    for (const s of samples(take(saturationImages(x, [0, 2])), 2)) expect(s.length).toBe(16);
    expect(maxDiff(take(saturationImages(x, [0, 2])), x.dataSync())).toBeLessThan(1e-6);
    x.dispose();
  });
});
