import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasMagnitude } from '../types.js';
import { frugalWithAugment, samples, take, useCpu } from '../test-utils.js';
import { translateImages } from './translate.js';

beforeAll(useCpu);

describe('translate', () => {
  it('moves content right and down by whole pixels, filling the uncovered border', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 16 }, (_, i) => (i + 1) / 16), [1, 4, 4, 1]);
    const out = take(translateImages(x, [1], [2], { fill: 0, interpolation: 'nearest' }));
    const src = x.dataSync();
    for (let y = 0; y < 4; y++) {
      for (let c = 0; c < 4; c++) {
        const expected = y >= 2 && c >= 1 ? src[(y - 2) * 4 + (c - 1)] : 0;
        expect(out[y * 4 + c]).toBeCloseTo(expected as number, 6);
      }
    }
    x.dispose();
  });

  it('translate-x at level 10 shifts by 45% of the width, either way', () => {
    const aug = frugalWithAugment().augmentations.create('translate-x', { interpolation: 'nearest' });
    if (!hasMagnitude(aug)) throw new Error('translate-x should take a magnitude');
    // One bright column at x = 10 of a 20-wide image: 45% is 9 pixels.
    const pixels = new Float32Array(20);
    pixels[10] = 1;
    const x = tf.tile(tf.tensor4d(pixels, [1, 1, 20, 1]), [8, 1, 1, 1]) as tf.Tensor4D;
    const out = samples(take(aug.applyAtMagnitude(x, new Float32Array(8).fill(10), new Rng(4))), 8);
    const positions = out.map((row) => row.indexOf(1));
    for (const p of positions) expect([1, 19]).toContain(p);
    expect(new Set(positions).size).toBe(2);
    x.dispose();
  });
});
