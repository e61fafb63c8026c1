import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { hueImages } from './hue.js';

beforeAll(useCpu);

describe('hue', () => {
  it('turns red into green by a third of the wheel, and grey stays grey', () => {
    const x = tf.tensor4d([1, 0, 0, 0.4, 0.4, 0.4], [1, 1, 2, 3]);
    const out = Array.from(take(hueImages(x, [1 / 3]))).map((v) => Number(v.toFixed(5)));
    expect(out).toEqual([0, 1, 0, 0.4, 0.4, 0.4]);
    x.dispose();
  });

  it('is the identity at shift 0 and after two half turns', () => {
    const x = randomImages(3, 5, 5, 3);
    expect(maxDiff(take(hueImages(x, [0, 0, 0])), x.dataSync())).toBeLessThan(1e-5);
    const twice = take(tf.tidy(() => hueImages(hueImages(x, [0.5, 0.5, 0.5]), [0.5, 0.5, 0.5])));
    expect(maxDiff(twice, x.dataSync())).toBeLessThan(1e-5);
    x.dispose();
  });

  it('keeps each pixel brightest channel (the HSV value)', () => {
    const x = randomImages(2, 4, 4, 3);
    const before = take(tf.max(x, 3));
    const after = take(tf.tidy(() => tf.max(hueImages(x, [0.2, -0.35]), 3)));
    expect(maxDiff(before, after)).toBeLessThan(1e-5);
    x.dispose();
  });
});
