import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { fixedGate } from './confidence-gate.js';
import { consistencyLoss, fixMatchTargets } from './fixmatch-loss.js';

beforeAll(useTestBackend);

describe('consistencyLoss', () => {
  // Row 0: confident weak view (softmax ≈ 0.98 on class 1); row 1: unsure (≈ 0.42 on class 0).
  const weak = [
    [0, 5, 1],
    [0.5, 0.3, 0.2],
  ];
  const strong = [
    [1, 2, 0],
    [0, 0, 3],
  ];

  it('is the masked cross-entropy of the strong view against the weak arg-max', () => {
    const { loss, maskRate, targets } = consistencyLoss(tf.tensor2d(weak), tf.tensor2d(strong), fixedGate(0.95));
    const logSoftmax1 = 2 - Math.log(Math.exp(1) + Math.exp(2) + Math.exp(0));
    expect(loss.dataSync()[0]).toBeCloseTo(-logSoftmax1 / 2, 5); // only row 0 counts, mean over both rows
    expect(maskRate.dataSync()[0]).toBe(0.5);
    expect(targets.arraySync()).toEqual([
      [0, 1, 0],
      [0, 0, 0],
    ]);
    const none = consistencyLoss(tf.tensor2d(weak), tf.tensor2d(strong), fixedGate(0.999));
    expect(none.loss.dataSync()[0]).toBe(0);
    tf.dispose([loss, maskRate, targets, none.loss, none.maskRate, none.targets]);
  });

  it('with a temperature, takes the sharpened softmax of the kept rows as their targets', () => {
    const { targets, maskRate } = fixMatchTargets(tf.tensor2d(weak), fixedGate(0.95), 0.5);
    const sharpened = (weak[0] as number[]).map((v) => Math.exp(v / 0.5));
    const total = sharpened.reduce((a, b) => a + b);
    const rows = targets.arraySync();
    sharpened.forEach((v, i) => expect((rows[0] as number[])[i]).toBeCloseTo(v / total, 6));
    expect(rows[1]).toEqual([0, 0, 0]);
    expect(maskRate.dataSync()[0]).toBe(0.5);
    tf.dispose([targets, maskRate]);
  });

  it('sends no gradient into the weak view and only masked rows into the strong view', () => {
    const w = tf.tensor2d(weak);
    const s = tf.tensor2d(strong);
    const [gw, gs] = tf.grads((a: tf.Tensor, b: tf.Tensor) => consistencyLoss(a as tf.Tensor2D, b as tf.Tensor2D, fixedGate(0.95)).loss)([w, s]);
    expect(Array.from((gw as tf.Tensor).dataSync()).every((v) => v === 0)).toBe(true);
    const g = (gs as tf.Tensor).arraySync() as number[][];
    expect((g[1] as number[]).every((v) => v === 0)).toBe(true);
    expect((g[0] as number[])[1]).toBeLessThan(0); // pushes the pseudo-label's logit up
    tf.dispose([w, s, gw as tf.Tensor, gs as tf.Tensor]);
  });
});
