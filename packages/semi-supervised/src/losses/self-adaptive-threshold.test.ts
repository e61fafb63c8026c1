import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { selfAdaptiveGate } from './confidence-gate.js';
import { fixMatchTargets } from './fixmatch-loss.js';
import { SelfAdaptiveThreshold } from './self-adaptive-threshold.js';

beforeAll(useTestBackend);

describe('SelfAdaptiveThreshold', () => {
  // Class 0 predicted confidently twice, class 1 once and less surely, class 2 never.
  const probs = [
    [0.9, 0.05, 0.05],
    [0.7, 0.2, 0.1],
    [0.2, 0.6, 0.2],
  ];

  it('starts at 1/C for every class and follows the moving averages of confidence and class probability', () => {
    const t = new SelfAdaptiveThreshold(3, 0.5);
    expect(t.thresholds()).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const p = tf.tensor2d(probs);
    t.update(p);
    const global = 0.5 / 3 + 0.5 * ((0.9 + 0.7 + 0.6) / 3);
    const local = [0.5 / 3 + 0.5 * (1.8 / 3), 0.5 / 3 + 0.5 * (0.85 / 3), 0.5 / 3 + 0.5 * (0.35 / 3)];
    const expected = local.map((l) => (global * l) / (local[0] as number));
    t.thresholds().forEach((v, c) => expect(v).toBeCloseTo(expected[c] as number, 6));
    // Arg-maxes: class 0 twice, class 1 once.
    const histogram = [0.5 / 3 + 0.5 * (2 / 3), 0.5 / 3 + 0.5 * (1 / 3), 0.5 / 3];
    t.modelHistogram().forEach((v, c) => expect(v).toBeCloseTo(histogram[c] as number, 6));
    t.modelProbability().forEach((v, c) => expect(v).toBeCloseTo(local[c] as number, 6));
    // The most predicted class holds the highest bar; rarely predicted classes get lower ones.
    const [a, b, c] = t.thresholds() as [number, number, number];
    expect(a).toBeGreaterThan(b);
    expect(b).toBeGreaterThan(c);
    p.dispose();
  });

  it('saves and restores its estimates, and refuses a state for another class count', () => {
    const t = new SelfAdaptiveThreshold(3, 0.9);
    const p = tf.tensor2d(probs);
    t.update(p);
    const copy = new SelfAdaptiveThreshold(3, 0.9);
    copy.setState(JSON.parse(JSON.stringify(t.getState())));
    expect(copy.thresholds()).toEqual(t.thresholds());
    expect(copy.modelHistogram()).toEqual(t.modelHistogram());
    expect(() => new SelfAdaptiveThreshold(4, 0.9).setState(t.getState())).toThrow(/does not match 4 classes/);
    p.dispose();
  });

  it('masks each image against the threshold of its predicted class', () => {
    const logits = tf.log(tf.tensor2d(probs)) as tf.Tensor2D;
    const t = new SelfAdaptiveThreshold(3, 0.5);
    t.setState({ global: 0.9, local: [0.8, 0.5, 0.9] }); // thresholds 0.8, 0.5 and 0.9
    expect(t.thresholds()).toEqual([0.8, 0.5, 0.9]);
    const { targets, maskRate } = fixMatchTargets(logits, selfAdaptiveGate(t));
    expect(targets.arraySync()).toEqual([
      [1, 0, 0],
      [0, 0, 0],
      [0, 1, 0],
    ]);
    expect(maskRate.dataSync()[0]).toBeCloseTo(2 / 3, 6);
    tf.dispose([logits, targets, maskRate]);
  });
});
