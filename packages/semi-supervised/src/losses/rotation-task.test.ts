import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { quarterTurns } from './rotation-task.js';
import { useTestBackend } from '../test-utils/tiny.js';

beforeAll(useTestBackend);

describe('quarterTurns', () => {
  it('turns image i by i mod 4 quarter turns, grouped by turn, with one-hot targets', () => {
    // Five 2×2 images: pixel values 10·i + (0, 1, 2, 3) in reading order.
    const x = tf.tensor4d(Array.from({ length: 5 * 4 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4)), [5, 2, 2, 1]);
    const { images, targets } = quarterTurns(x);
    const rowsOf = (t: tf.Tensor) => (t.arraySync() as number[][][][]).map((img) => img.flat(2));
    // Images 0 and 4 unturned, 1 a quarter turn, 2 a half turn, 3 three quarters (the other way).
    expect(rowsOf(images)).toEqual([
      [0, 1, 2, 3],
      [40, 41, 42, 43],
      [12, 10, 13, 11],
      [23, 22, 21, 20],
      [31, 33, 30, 32],
    ]);
    expect(tf.argMax(targets, -1).arraySync()).toEqual([0, 0, 1, 2, 3]);
    tf.dispose([x, images, targets]);
  });

  it('refuses images that are not square', () => {
    const x = tf.zeros([2, 2, 3, 1]) as tf.Tensor4D;
    expect(() => quarterTurns(x)).toThrow(/square images, got 2×3/);
    x.dispose();
  });
});
