import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShortcutPad } from './shortcut-pad.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('ShortcutPad (identity shortcut, option A)', () => {
  it('takes every stride-th row and column, odd sizes included, and pads channels on both sides', () => {
    const x = tf.tensor4d(Array.from({ length: 5 * 5 * 2 }, (_, i) => i + 1), [1, 5, 5, 2]);
    const layer = new ShortcutPad({ stride: 2, outChannels: 6 });
    const out = tf.tidy(() => layer.call(x) as tf.Tensor4D);
    expect(out.shape).toEqual([1, 3, 3, 6]);
    const expected = tf.tidy(() => {
      const rows = tf.gather(x, [0, 2, 4], 1);
      return tf.pad(tf.gather(rows, [0, 2, 4], 2), [[0, 0], [0, 0], [0, 0], [2, 2]]);
    });
    expect(Array.from(out.dataSync())).toEqual(Array.from(expected.dataSync()));
    expect(layer.computeOutputShape([null, 5, 5, 2])).toEqual([null, 3, 3, 6]);
    tf.dispose([x, out, expected]);
  });

  it('has a gradient (no StridedSlice)', () => {
    const x = tf.ones([2, 4, 4, 3]);
    const layer = new ShortcutPad({ stride: 2, outChannels: 5 });
    const grad = tf.grad((t: tf.Tensor) => tf.sum(layer.call(t) as tf.Tensor))(x);
    expect(tf.sum(grad).dataSync()[0]).toBe(2 * 2 * 2 * 3);
    tf.dispose([x, grad]);
  });
});
