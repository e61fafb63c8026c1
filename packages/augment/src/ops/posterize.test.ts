import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, samples, take, useCpu } from '../test-utils.js';
import { posterizeImages } from './posterize.js';

beforeAll(useCpu);

describe('posterize', () => {
  it('keeps the top bits of each 8-bit value, per sample; 8 bits change nothing', () => {
    const x = randomImages(3, 6, 6, 3);
    const [one, two, eight] = samples(take(posterizeImages(x, [1, 2, 8])), 3) as [Float32Array, Float32Array, Float32Array];
    for (const v of one) expect([0, 128]).toContain(Math.round(v * 255));
    for (const v of two) expect([0, 64, 128, 192]).toContain(Math.round(v * 255));
    expect(maxDiff(eight, samples(Float32Array.from(x.dataSync()), 3)[2] as Float32Array)).toBe(0);
    x.dispose();
  });

  it('matches the bit mask on the 8-bit grid', () => {
    const levels = [0, 1, 63, 64, 127, 200, 255];
    const x = tf.tensor4d(levels.map((v) => v / 255), [1, 1, levels.length, 1]);
    const out = Array.from(take(posterizeImages(x, [3]))).map((v) => Math.round(v * 255));
    expect(out).toEqual(levels.map((v) => v & 0b11100000));
    x.dispose();
  });
});
