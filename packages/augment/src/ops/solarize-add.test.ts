import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, take, useCpu } from '../test-utils.js';
import { solarizeAddImages } from './solarize-add.js';

beforeAll(useCpu);

describe('solarize-add', () => {
  it('brightens only the pixels below the threshold, clipped at 1', () => {
    const x = tf.tensor4d([0.1, 0.45, 0.6, 0.9], [1, 1, 4, 1]);
    expect(maxDiff(take(solarizeAddImages(x, [0.3], 0.5)), [0.4, 0.75, 0.6, 0.9])).toBeLessThan(1e-6);
    expect(maxDiff(take(solarizeAddImages(x, [0.7], 0.5)), [0.8, 1, 0.6, 0.9])).toBeLessThan(1e-6);
    x.dispose();
  });
});
