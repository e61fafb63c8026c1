import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { sharpnessImages } from './sharpness.js';

beforeAll(useCpu);

describe('sharpness', () => {
  it('factor 1 keeps the image; factor 0 gives the PIL SMOOTH filter inside and keeps the border', () => {
    const x = randomImages(1, 5, 5, 1);
    const src = x.dataSync();
    expect(maxDiff(take(sharpnessImages(x, [1])), src)).toBeLessThan(1e-6);
    const smooth = take(sharpnessImages(x, [0]));
    for (let y = 0; y < 5; y++) {
      for (let c = 0; c < 5; c++) {
        let expected = src[y * 5 + c] as number;
        if (y > 0 && y < 4 && c > 0 && c < 4) {
          expected = 0;
          for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) expected += (src[(y + dy) * 5 + c + dx] as number) * (dy === 0 && dx === 0 ? 5 : 1);
          expected /= 13;
        }
        expect(smooth[y * 5 + c]).toBeCloseTo(expected, 5);
      }
    }
    x.dispose();
  });
});
