import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { selfAdaptiveFairness } from './self-adaptive-fairness.js';

beforeAll(useTestBackend);

const softmax = (row: number[]): number[] => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('selfAdaptiveFairness', () => {
  // Three strong views over 3 classes; the third did not pass its threshold.
  const strong = [
    [2, 0, 0],
    [1, 0.5, 0],
    [0, 0, 4],
  ];
  const modelProbability = [0.5, 0.3, 0.2];
  const modelHistogram = [0.6, 0.3, 0.1];

  it('is Σ p̂ log q̂ over the kept views, by hand', () => {
    const loss = selfAdaptiveFairness(tf.tensor2d(strong), tf.tensor1d([1, 1, 0]), modelProbability, modelHistogram);
    // Kept: rows 0 and 1, both predicting class 0: histogram [2, 0, 0].
    const [p0, p1] = [softmax(strong[0] as number[]), softmax(strong[1] as number[])] as [number[], number[]];
    const mean = p0.map((v, c) => (v + (p1[c] as number)) / 2);
    const q = [(mean[0] as number) / 2, 0, 0];
    const qNorm = q.map((v) => v / (q[0] as number));
    const p = modelProbability.map((v, c) => v / (modelHistogram[c] as number));
    const pNorm = p.map((v) => v / p.reduce((a, b) => a + b, 0));
    const expected = pNorm.reduce((sum, v, c) => sum + v * Math.log((qNorm[c] as number) + 1e-12), 0);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 4);
    loss.dispose();
  });

  it('moves the kept views towards the class the model holds least of', () => {
    // Kept: row 0 (class 0) and row 2 (class 2). p̂ ∝ [0.5/0.6, 0.3/0.3, 0.2/0.1]: class 2 most,
    // class 0 least, so descent raises row 0's class-0 logit (a negative gradient) and lowers row 2's class-2 logit.
    const x = tf.tensor2d(strong);
    const g = tf.grad((s: tf.Tensor) => selfAdaptiveFairness(s as tf.Tensor2D, tf.tensor1d([1, 0, 1]), modelProbability, modelHistogram))(x);
    const rowsOfG = g.arraySync() as number[][];
    expect(rowsOfG[0]?.[0]).toBeLessThan(0);
    expect(rowsOfG[2]?.[2]).toBeGreaterThan(0);
    expect((rowsOfG[1] as number[]).every((v) => v === 0)).toBe(true);
    tf.dispose([x, g]);
  });

  it('is 0 with no view kept', () => {
    const none = selfAdaptiveFairness(tf.tensor2d(strong), tf.tensor1d([0, 0, 0]), modelProbability, modelHistogram);
    expect(none.dataSync()[0]).toBe(0);
    none.dispose();
  });
});
