import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { softCrossEntropy } from '@frugal/core';
import { useCpu } from '@frugal/core/testing';
import { distillationLoss, kdLoss, labelledCrossEntropy, softTargets } from './kd-loss.js';

beforeAll(useCpu);

const student = [
  [2.0, -1.0, 0.5],
  [0.1, 0.2, -0.3],
];
const teacher = [
  [3.0, 0.0, -1.0],
  [-0.5, 1.5, 0.5],
];
const labels = [
  [1, 0, 0],
  [0, 0, 1],
];

/** Plain-number reference implementations. */
const softmax = (row: number[], t = 1) => {
  const m = Math.max(...row.map((v) => v / t));
  const e = row.map((v) => Math.exp(v / t - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};
const kl = (p: number[], q: number[]) => p.reduce((a, pi, i) => a + pi * Math.log(pi / (q[i] as number)), 0);
const closedKd = (s: number[][], t: number[][], T: number) =>
  (T * T * s.reduce((a, row, i) => a + kl(softmax(t[i] as number[], T), softmax(row, T)), 0)) / s.length;
const closedCe = (s: number[][], y: number[][]) =>
  s.reduce((a, row, i) => a - (y[i] as number[]).reduce((b, yi, j) => b + yi * Math.log(softmax(row)[j] as number), 0), 0) / s.length;

const value = (t: tf.Tensor) => t.dataSync()[0] as number;

describe('distillation loss', () => {
  it.each([1, 2, 4, 10])('equals α·T²·KL + (1 − α)·CE in closed form (T = %d)', (T) => {
    const alpha = 0.7;
    const parts = distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), tf.tensor2d(labels), { temperature: T, alpha });
    expect(value(parts.kd)).toBeCloseTo(closedKd(student, teacher, T), 5);
    expect(value(parts.ce)).toBeCloseTo(closedCe(student, labels), 5);
    expect(value(parts.loss)).toBeCloseTo(alpha * closedKd(student, teacher, T) + (1 - alpha) * closedCe(student, labels), 5);
  });

  it('has the gradient finite differences give, and T · (q − p) / n in closed form', () => {
    const T = 3;
    const alpha = 0.6;
    const t = tf.tensor2d(teacher);
    const y = tf.tensor2d(labels);
    const f = (s: tf.Tensor2D) => distillationLoss(s, t, y, { temperature: T, alpha }).loss;
    const grad = tf.grad((s: tf.Tensor) => f(s as tf.Tensor2D))(tf.tensor2d(student)).arraySync() as number[][];
    const eps = 1e-2;
    student.forEach((row, i) =>
      row.forEach((_, j) => {
        const shifted = (d: number) => student.map((r, a) => r.map((v, b) => (a === i && b === j ? v + d : v)));
        const numeric = (value(f(tf.tensor2d(shifted(eps)))) - value(f(tf.tensor2d(shifted(-eps))))) / (2 * eps);
        expect((grad[i] as number[])[j]).toBeCloseTo(numeric, 3);
        // closed form: α · T · (q − p) / n + (1 − α) · (softmax(s) − y) / n
        const q = softmax(row, T)[j] as number;
        const p = softmax(teacher[i] as number[], T)[j] as number;
        const analytic = (alpha * T * (q - p) + (1 - alpha) * ((softmax(row)[j] as number) - ((labels[i] as number[])[j] as number))) / 2;
        expect((grad[i] as number[])[j]).toBeCloseTo(analytic, 5);
      }),
    );
  });

  it('softens the teacher towards uniform as T grows', () => {
    const t = tf.tensor2d(teacher);
    const spread = (T: number) => {
      const p = softTargets(t, T).arraySync();
      return Math.max(...p.flat().map((v) => Math.abs(v - 1 / 3)));
    };
    expect(spread(1)).toBeGreaterThan(0.3);
    expect(spread(10)).toBeLessThan(spread(2));
    expect(spread(1e4)).toBeLessThan(1e-3);
  });

  it('reduces to the cross-entropy when α = 0', () => {
    const s = tf.tensor2d(student);
    const y = tf.tensor2d(labels);
    const parts = distillationLoss(s, tf.tensor2d(teacher), y, { temperature: 4, alpha: 0 });
    expect(value(parts.loss)).toBeCloseTo(value(softCrossEntropy(s, y)), 6);
  });

  it('gives unlabelled rows the distillation term only', () => {
    const y = tf.tensor2d([labels[0] as number[], [0, 0, 0]]);
    const parts = distillationLoss(tf.tensor2d(student), tf.tensor2d(teacher), y, { temperature: 2, alpha: 0.5 });
    expect(value(parts.ce)).toBeCloseTo(closedCe([student[0] as number[]], [labels[0] as number[]]), 5);
    expect(value(parts.kd)).toBeCloseTo(closedKd(student, teacher, 2), 5);
    expect(value(labelledCrossEntropy(tf.tensor2d(student), tf.zeros([2, 3])))).toBe(0);
  });

  it('is zero when the student matches the teacher exactly and α = 1', () => {
    expect(value(kdLoss(tf.tensor2d(teacher), tf.tensor2d(teacher), 5))).toBeCloseTo(0, 6);
  });
});
