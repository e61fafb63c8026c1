import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { shearImages } from './shear.js';

beforeAll(useCpu);

describe('shear', () => {
  it('shears about the centre: the middle row stays, the next row moves by the factor', () => {
    const x = randomImages(1, 5, 5, 1);
    const out = take(shearImages(x, [1], [0], { interpolation: 'nearest', fill: 0 }));
    const src = x.dataSync();
    const row = (values: ArrayLike<number>, y: number) => Array.from({ length: 5 }, (_, c) => values[y * 5 + c] as number);
    expect(maxDiff(row(out, 2), row(src, 2))).toBe(0);
    // Row 3 reads one column to the right: out[3][c] = src[3][c + 1].
    expect(maxDiff(row(out, 3).slice(0, 4), row(src, 3).slice(1))).toBe(0);
    expect(out[3 * 5 + 4]).toBe(0);
    x.dispose();
  });

  it('is the identity with zero factors, and vertical shear is the transposed horizontal one', () => {
    const x = randomImages(2, 6, 6, 3);
    expect(maxDiff(take(shearImages(x, [0, 0], [0, 0])), x.dataSync())).toBeLessThan(1e-6);
    const vertical = take(shearImages(x, [0, 0], [0.3, -0.2], { interpolation: 'nearest' }));
    const viaTranspose = take(
      tf.tidy(() => tf.transpose(shearImages(tf.transpose(x, [0, 2, 1, 3]) as tf.Tensor4D, [0.3, -0.2], [0, 0], { interpolation: 'nearest' }), [0, 2, 1, 3])),
    );
    expect(maxDiff(vertical, viaTranspose)).toBe(0);
    x.dispose();
  });
});
