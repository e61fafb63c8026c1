import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { AdaptiveAvgPool2D, adaptivePoolMatrix } from './adaptive-avg-pool.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** PyTorch's adaptive_avg_pool2d by its definition, on an NHWC array. */
function reference(x: number[][][], oh: number, ow: number): number[][] {
  const h = x.length;
  const w = x[0]!.length;
  const out: number[][] = [];
  for (let i = 0; i < oh; i++) {
    const row: number[] = [];
    const [h0, h1] = [Math.floor((i * h) / oh), Math.ceil(((i + 1) * h) / oh)];
    for (let j = 0; j < ow; j++) {
      const [w0, w1] = [Math.floor((j * w) / ow), Math.ceil(((j + 1) * w) / ow)];
      let sum = 0;
      for (let a = h0; a < h1; a++) for (let b = w0; b < w1; b++) sum += x[a]![b]![0]!;
      row.push(sum / ((h1 - h0) * (w1 - w0)));
    }
    out.push(row);
  }
  return out;
}

describe('AdaptiveAvgPool2D', () => {
  it('uses PyTorch windows, overlapping for 14 -> 4', () => {
    const m = adaptivePoolMatrix(14, 4);
    const windows = [0, 1, 2, 3].map((i) => Array.from(m.slice(i * 14, (i + 1) * 14)).flatMap((v, j) => (v > 0 ? [j] : [])));
    expect(windows).toEqual([
      [0, 1, 2, 3],
      [3, 4, 5, 6],
      [7, 8, 9, 10],
      [10, 11, 12, 13],
    ]);
  });

  it.each([
    [14, 14, 4, 4],
    [7, 5, 4, 4],
    [2, 3, 4, 4],
    [5, 5, 1, 1],
  ])('pools %ix%i to %ix%i as PyTorch does', (h, w, oh, ow) => {
    const values = Array.from({ length: h }, (_, a) => Array.from({ length: w }, (_, b) => [Math.sin(a * 7 + b * 3) + a]));
    const layer = new AdaptiveAvgPool2D({ outputSize: [oh, ow] });
    const out = tf.tidy(() => layer.call(tf.tensor4d([values])).arraySync() as number[][][][]);
    const expected = reference(values, oh, ow);
    out[0]!.forEach((row, i) => row.forEach((cell, j) => expect(cell[0]).toBeCloseTo(expected[i]![j]!, 5)));
    expect(layer.computeOutputShape([null, h, w, 1])).toEqual([null, oh, ow, 1]);
  });

  it('keeps channels apart and has a gradient', () => {
    const layer = new AdaptiveAvgPool2D({ outputSize: [2, 2] });
    const x = tf.randomNormal([2, 5, 3, 4], 0, 1, 'float32', 1);
    const out = tf.tidy(() => layer.call(x));
    expect(out.shape).toEqual([2, 2, 2, 4]);
    const grad = tf.grad((t: tf.Tensor) => tf.sum(layer.call(t) as tf.Tensor))(x);
    expect(grad.shape).toEqual(x.shape);
    // Every input cell belongs to some window, so every gradient is positive.
    expect(Math.min(...grad.dataSync())).toBeGreaterThan(0);
    tf.dispose([x, out, grad]);
  });
});
