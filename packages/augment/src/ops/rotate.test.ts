import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { hasMagnitude } from '../types.js';
import { distinctSamples, frugalWithAugment, maxDiff, randomImages, sameImages, samples, take, useCpu } from '../test-utils.js';
import { rotateImages } from './rotate.js';

beforeAll(useCpu);

describe('rotate', () => {
  it('rotating by 90° matches the mirrored image transposed (a counter-clockwise quarter turn)', () => {
    const x = randomImages(3, 6, 6, 3);
    const rotated = take(rotateImages(x, [90, 90, 90]));
    const expected = take(tf.tidy(() => tf.transpose(tf.reverse(x, 2), [0, 2, 1, 3])));
    expect(maxDiff(rotated, expected)).toBeLessThan(1e-5);
    x.dispose();
  });

  it('turns counter-clockwise: the pixel right of the centre moves above it', () => {
    const pixels = new Float32Array(9);
    pixels[1 * 3 + 2] = 1; // row 1, column 2
    const x = tf.tensor4d(pixels, [1, 3, 3, 1]);
    const out = take(rotateImages(x, [90]));
    expect(out[0 * 3 + 1]).toBeCloseTo(1, 5); // row 0, column 1
    x.dispose();
  });

  it('is the identity at 0° and fills uncovered corners with fill', () => {
    const x = tf.ones([1, 9, 9, 1]) as tf.Tensor4D;
    expect(maxDiff(take(rotateImages(x, [0])), x.dataSync())).toBeLessThan(1e-6);
    const turned = take(rotateImages(x, [45], { fill: 0.25, interpolation: 'nearest' }));
    expect(turned[0]).toBe(0.25);
    expect(turned[4 * 9 + 4]).toBe(1);
    x.dispose();
  });

  it('draws one angle per sample within degrees', () => {
    const aug = frugalWithAugment().augmentations.create('rotate', { degrees: 20 });
    const out = take(aug.apply(sameImages(8), new Rng(1)));
    expect(distinctSamples(out, 8)).toBe(8);
  });

  it('at RandAugment level 10 turns by ±30°', () => {
    const aug = frugalWithAugment().augmentations.create('rotate');
    if (!hasMagnitude(aug)) throw new Error('rotate should take a magnitude');
    const x = sameImages(6, 7, 7, 1);
    const out = samples(take(aug.applyAtMagnitude(x, new Float32Array(6).fill(10), new Rng(2))), 6);
    const plus = take(rotateImages(tf.slice(x, 0, 1) as tf.Tensor4D, [30]));
    const minus = take(rotateImages(tf.slice(x, 0, 1) as tf.Tensor4D, [-30]));
    for (const o of out) expect(Math.min(maxDiff(o, plus), maxDiff(o, minus))).toBeLessThan(1e-6);
    x.dispose();
  });
});
