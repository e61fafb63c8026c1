import { createFrugal, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { cli } from './index.js';

describe('@frugal/cli', () => {
  it('registers its entries without side effects at import', () => {
    const frugal = createFrugal({ plugins: [cli()] });
    expect(frugal.augmentations.names()).toContain('cli-invert');
    expect(createFrugal().augmentations.names()).not.toContain('cli-invert');
  });

  it('applies its augmentation', () => {
    const frugal = createFrugal({ plugins: [cli()] });
    const op = frugal.augmentations.create('cli-invert');
    const out = tf.tidy(() => op.apply(tf.fill([1, 2, 2, 1], 0.25) as tf.Tensor4D, new Rng(1)).dataSync());
    expect(Array.from(out)).toEqual([0.75, 0.75, 0.75, 0.75]);
  });
});
