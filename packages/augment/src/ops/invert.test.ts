import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { invertImages } from './invert.js';

beforeAll(useCpu);

describe('invert', () => {
  it('maps x to 1 - x, and twice is the identity', () => {
    const x = randomImages(2, 4, 4, 3);
    const once = take(invertImages(x));
    x.dataSync().forEach((v, i) => expect(once[i]).toBeCloseTo(1 - v, 6));
    expect(maxDiff(take(tf.tidy(() => invertImages(invertImages(x)))), x.dataSync())).toBeLessThan(1e-6);
    x.dispose();
  });
});
