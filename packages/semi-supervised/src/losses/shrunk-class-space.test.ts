import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { fixedGate } from './confidence-gate.js';
import { shrunkLoss, shrunkTargets } from './shrunk-class-space.js';

beforeAll(useTestBackend);

const softmax = (row: number[]) => {
  const e = row.map((v) => Math.exp(v));
  const total = e.reduce((a, b) => a + b);
  return e.map((v) => v / total);
};

describe('shrunkTargets', () => {
  // Row 0 hesitates between classes 2 and 0 (then 3, far behind); row 1 is sure of class 1;
  // row 2 is spread evenly over all four classes.
  const logits = [
    [3, -2, 3.2, 0],
    [0, 6, 0, 0],
    [0, 0, 0, 0],
  ];

  it('leaves out the classes ranked next to the top one until it passes the threshold, and weighs the image by its confidence', () => {
    const gate = fixedGate(0.8);
    const weak = tf.tensor2d(logits);
    // What a threshold of 0.8 keeps: row 1 alone.
    expect(logits.map((row) => Math.max(...softmax(row)) >= 0.8)).toEqual([false, true, false]);
    const passed = tf.tensor1d([0, 1, 0]);
    const { targets, kept, shrinkRate } = shrunkTargets(weak, passed, gate);
    const t = targets.arraySync();
    const k = kept.arraySync();
    // Row 0: without class 0 (ranked second), class 2 holds e^3.2 / (e^3.2 + e^0 + e^-2) ≈ 0.95 ≥ 0.8.
    expect(k[0]).toEqual([0, 1, 1, 1]);
    expect(t[0]![2]).toBeCloseTo(Math.max(...softmax(logits[0]!)), 6);
    expect([t[0]![0], t[0]![1], t[0]![3]]).toEqual([0, 0, 0]);
    // Row 1 passed the gate already: nothing to shrink.
    expect(t[1]).toEqual([0, 0, 0, 0]);
    expect(k[1]).toEqual([1, 1, 1, 1]);
    // Row 2: even with only its top class and the last one left, it holds 0.5 < 0.8: it learns nothing.
    expect(t[2]).toEqual([0, 0, 0, 0]);
    expect(shrinkRate).toBeCloseTo(1 / 3, 6);
    tf.dispose([weak, passed, targets, kept]);
  });

  it('leaves out as many classes as the threshold asks', () => {
    // Top class 0, then 1, 2, 3 close behind: only with 1 and 2 gone does class 0 reach 0.75.
    const row = [2, 1.5, 1.4, 0.9];
    const weak = tf.tensor2d([row]);
    const passed = tf.tensor1d([0]);
    const { targets, kept } = shrunkTargets(weak, passed, fixedGate(0.75));
    expect(1 / (1 + Math.exp(1.4 - 2) + Math.exp(0.9 - 2))).toBeLessThan(0.75);
    expect(1 / (1 + Math.exp(0.9 - 2))).toBeGreaterThanOrEqual(0.75);
    expect(kept.arraySync()).toEqual([[1, 0, 0, 1]]);
    expect(targets.arraySync()[0]![0]).toBeCloseTo(softmax(row)[0]!, 6);
    tf.dispose([weak, passed, targets, kept]);
  });
});

describe('shrunkLoss', () => {
  it('is the cross-entropy over the kept classes alone, and sends no gradient to the classes left out', () => {
    const logits = tf.tensor2d([
      [1, 4, 0.5, 2],
      [0, 0, 0, 0],
    ]);
    const targets = tf.tensor2d([
      [0.6, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const kept = tf.tensor2d([
      [1, 0, 1, 1],
      [1, 1, 1, 1],
    ]);
    const loss = shrunkLoss(logits, targets, kept);
    const expected = (-0.6 * (1 - Math.log(Math.exp(1) + Math.exp(0.5) + Math.exp(2)))) / 2;
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    const grad = tf.grad((x: tf.Tensor) => shrunkLoss(x as tf.Tensor2D, targets, kept))(logits);
    const g = grad.arraySync() as number[][];
    expect(g[0]![1]).toBe(0);
    expect(g[0]![0]).toBeLessThan(0);
    expect(g[1]!.every((v) => v === 0)).toBe(true);
    tf.dispose([logits, targets, kept, loss, grad]);
  });
});
