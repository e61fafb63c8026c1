import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, take, useCpu } from '../test-utils.js';
import { autocontrastImages } from './autocontrast.js';

beforeAll(useCpu);

describe('autocontrast', () => {
  it('stretches each channel linearly to [0, 1] and leaves a flat channel alone', () => {
    // Channel 0 spans 0.2..0.6, channel 1 is flat at 0.3.
    const x = tf.tensor4d([0.2, 0.3, 0.4, 0.3, 0.6, 0.3], [1, 1, 3, 2]);
    expect(maxDiff(take(autocontrastImages(x)), [0, 0.3, 0.5, 0.3, 1, 0.3])).toBeLessThan(1e-6);
    x.dispose();
  });
});
