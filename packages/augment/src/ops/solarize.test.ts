import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasMagnitude } from '../types.js';
import { frugalWithAugment, maxDiff, take, useCpu } from '../test-utils.js';
import { solarizeImages } from './solarize.js';

beforeAll(useCpu);

describe('solarize', () => {
  it('inverts exactly the pixels at or above the threshold', () => {
    const x = tf.tensor4d([0.1, 0.49, 0.5, 0.9], [1, 1, 4, 1]);
    expect(Array.from(take(solarizeImages(x, [0.5]))).map((v) => Number(v.toFixed(5)))).toEqual([0.1, 0.49, 0.5, 0.1]);
    x.dispose();
  });

  it('maps levels as timm: level 0 inverts every pixel, level 10 none; increasing reverses that', () => {
    const aug = frugalWithAugment().augmentations.create('solarize');
    if (!hasMagnitude(aug)) throw new Error('solarize should take a magnitude');
    const x = tf.tensor4d([0, 0.2, 1, 0, 0.2, 1], [2, 1, 3, 1]);
    const out = take(aug.applyAtMagnitude(x, Float32Array.from([0, 10]), new Rng(1)));
    expect(maxDiff(out, [1, 0.8, 0, 0, 0.2, 1])).toBeLessThan(1e-6);
    const inc = take(aug.applyAtMagnitude(x, Float32Array.from([0, 10]), new Rng(1), { increasing: true }));
    expect(maxDiff(inc, [0, 0.2, 1, 1, 0.8, 0])).toBeLessThan(1e-6);
    x.dispose();
  });
});
