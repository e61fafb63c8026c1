import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { softGate } from './confidence-gate.js';
import { fixMatchTargets } from './fixmatch-loss.js';
import { SoftThreshold } from './soft-threshold.js';

beforeAll(useTestBackend);

describe('SoftThreshold', () => {
  // Top probabilities 0.9, 0.7 and 0.6: mean 0.7333, unbiased variance 0.023333.
  const probs = [
    [0.9, 0.05, 0.05],
    [0.7, 0.2, 0.1],
    [0.2, 0.6, 0.2],
  ];

  it('starts at 1/C and follows the moving averages of the confidences’ mean and variance', () => {
    const t = new SoftThreshold(3, 0.5, 2);
    expect(t.threshold()).toBeCloseTo(1 / 3, 7);
    const p = tf.tensor2d(probs);
    t.update(p);
    const mean = (0.9 + 0.7 + 0.6) / 3;
    const variance = ((0.9 - mean) ** 2 + (0.7 - mean) ** 2 + (0.6 - mean) ** 2) / 2;
    expect(t.threshold()).toBeCloseTo(0.5 / 3 + 0.5 * mean, 6);
    expect(t.getState().variance).toBeCloseTo(0.5 * 1 + 0.5 * variance, 6);
    p.dispose();
  });

  it('weighs 1 from the mean confidence up and a Gaussian of σ/n below', () => {
    const t = new SoftThreshold(3, 0.9, 2);
    t.setState({ mean: 0.8, variance: 0.01 });
    const confidence = tf.tensor1d([0.95, 0.8, 0.7, 0.5]);
    const w = Array.from(t.weights(confidence).dataSync());
    const gaussian = (c: number) => Math.exp(-((c - 0.8) ** 2) / ((2 * 0.01) / 4));
    expect(w[0]).toBe(1);
    expect(w[1]).toBe(1);
    expect(w[2]).toBeCloseTo(gaussian(0.7), 6); // exp(-2) ≈ 0.135
    expect(w[3]).toBeCloseTo(gaussian(0.5), 6); // exp(-18): all but gone
    expect(w[2]).toBeGreaterThan(0.1);
    // More sigmas: a sharper fall.
    const sharper = new SoftThreshold(3, 0.9, 4);
    sharper.setState(t.getState());
    expect(sharper.weights(confidence).dataSync()[2]).toBeLessThan(w[2] as number);
    confidence.dispose();
  });

  it('gives FixMatch pseudo-labels weighted between 0 and 1, and its mean weight as the mask rate', () => {
    const t = new SoftThreshold(3, 0.9, 2);
    t.setState({ mean: 0.8, variance: 0.01 });
    const logits = tf.log(tf.tensor2d(probs)) as tf.Tensor2D;
    const { targets, maskRate } = fixMatchTargets(logits, softGate(t));
    const rows = targets.arraySync();
    expect(rows[0]).toEqual([1, 0, 0]);
    expect(rows[1]?.[0]).toBeCloseTo(Math.exp(-((0.7 - 0.8) ** 2) / 0.005), 5);
    expect(rows[2]?.[1]).toBeGreaterThan(0);
    expect(rows[2]?.[1]).toBeLessThan(rows[1]?.[0] as number);
    const weights = rows.map((r) => r.reduce((a, b) => a + b, 0));
    expect(maskRate.dataSync()[0]).toBeCloseTo(weights.reduce((a, b) => a + b, 0) / 3, 6);
    tf.dispose([logits, targets, maskRate]);
  });

  it('saves and restores its estimates, and refuses a damaged state', () => {
    const t = new SoftThreshold(10, 0.999, 2);
    const p = tf.tensor2d([[0.5, 0.5, 0, 0, 0, 0, 0, 0, 0, 0]]);
    t.update(p);
    const copy = new SoftThreshold(10, 0.999, 2);
    copy.setState(JSON.parse(JSON.stringify(t.getState())));
    expect(copy.getState()).toEqual(t.getState());
    expect(() => copy.setState({ mean: 0.5 })).toThrow(/soft threshold state is damaged/);
    p.dispose();
  });
});
