import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, samples, take, useCpu } from '../test-utils.js';
import { contrastImages } from './contrast.js';

beforeAll(useCpu);

describe('contrast', () => {
  it('factor 0 gives the mean grey level, factor 1 the image', () => {
    const x = randomImages(3, 6, 6, 3);
    const flat = samples(take(contrastImages(x, [0, 0, 0])), 3);
    const src = samples(Float32Array.from(x.dataSync()), 3);
    flat.forEach((s, i) => {
      let grey = 0;
      const image = src[i] as Float32Array;
      for (let p = 0; p < 36; p++) grey += 0.299 * (image[p * 3] as number) + 0.587 * (image[p * 3 + 1] as number) + 0.114 * (image[p * 3 + 2] as number);
      for (const v of s) expect(v).toBeCloseTo(grey / 36, 5);
    });
    expect(maxDiff(take(contrastImages(x, [1, 1, 1])), x.dataSync())).toBeLessThan(1e-6);
    x.dispose();
  });

  it('factor 2 doubles distances from the mean (before clipping)', () => {
    const x = tf.tensor4d([0.4, 0.6], [1, 1, 2, 1]);
    expect(Array.from(take(contrastImages(x, [2]))).map((v) => Number(v.toFixed(5)))).toEqual([0.3, 0.7]);
    x.dispose();
  });
});
