import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { affineTransform, identityAffine } from './affine.js';

beforeAll(useCpu);

describe('affineTransform', () => {
  it('gives every sample of a batch its own map (the cpu kernel alone only maps the first)', () => {
    const images = randomImages(4, 5, 7, 3);
    const maps = new Float32Array(4 * 6);
    for (let i = 0; i < 4; i++) maps.set([1, 0, i, 0, 1, -i, 0, 0].slice(0, 6), i * 6);
    const batched = take(affineTransform(images, maps, { interpolation: 'nearest', fill: 0.25 }));
    const singles = tf.tidy(() =>
      tf.concat(
        tf.split(images, 4, 0).map((one, i) => affineTransform(one as tf.Tensor4D, maps.subarray(i * 6, i * 6 + 6), { interpolation: 'nearest', fill: 0.25 })),
      ),
    );
    expect(maxDiff(batched, take(singles))).toBe(0);
    images.dispose();
  });

  it('leaves images unchanged under identity maps', () => {
    const images = randomImages(3, 4, 4, 1);
    expect(maxDiff(take(affineTransform(images, identityAffine(3))), images.dataSync())).toBeLessThan(1e-6);
    images.dispose();
  });
});
