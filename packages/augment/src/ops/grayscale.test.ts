import { beforeAll, describe, expect, it } from 'vitest';
import { randomImages, take, useCpu } from '../test-utils.js';
import { grayscaleImages } from './grayscale.js';

beforeAll(useCpu);

describe('grayscale', () => {
  it('sets every channel to the ITU-R 601-2 luma', () => {
    const x = randomImages(2, 3, 3, 3);
    const out = take(grayscaleImages(x));
    const src = x.dataSync();
    for (let p = 0; p < out.length; p += 3) {
      const luma = 0.299 * (src[p] as number) + 0.587 * (src[p + 1] as number) + 0.114 * (src[p + 2] as number);
      expect(out[p]).toBeCloseTo(luma, 5);
      expect(out[p + 1]).toBe(out[p]);
      expect(out[p + 2]).toBe(out[p]);
    }
    x.dispose();
  });
});
