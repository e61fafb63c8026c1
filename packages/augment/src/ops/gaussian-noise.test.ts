import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, take, useCpu } from '../test-utils.js';
import { gaussianNoiseImages } from './gaussian-noise.js';

beforeAll(useCpu);

describe('gaussian-noise', () => {
  it('adds noise of the asked standard deviation, none at 0, the same for the same seed', () => {
    const x = tf.fill([2, 64, 64, 1], 0.5) as tf.Tensor4D;
    const out = take(gaussianNoiseImages(x, [0, 0.1], 42));
    const quiet = out.subarray(0, 4096);
    const noisy = out.subarray(4096);
    expect(maxDiff(quiet, new Float32Array(4096).fill(0.5))).toBe(0);
    const mean = noisy.reduce((a, b) => a + b, 0) / noisy.length;
    const std = Math.sqrt(noisy.reduce((a, b) => a + (b - mean) ** 2, 0) / noisy.length);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeGreaterThan(0.09);
    expect(std).toBeLessThan(0.11);
    expect(maxDiff(take(gaussianNoiseImages(x, [0, 0.1], 42)), out)).toBe(0);
    x.dispose();
  });
});
