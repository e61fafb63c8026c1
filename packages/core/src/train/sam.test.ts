import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpu } from '../testing/index.js';
import { sharpnessAwareGrads } from './sam.js';

beforeAll(useCpu);

describe('sharpnessAwareGrads', () => {
  it('takes the gradient at the weights moved rho along the normalised gradient, and puts every variable back', () => {
    // loss = sum(a · w²): gradient 2a·w, so at w + ρ·g/‖g‖ it is 2a·(w + ρ·g/‖g‖).
    const a = tf.tensor1d([1, 3, 0.5]);
    const w = tf.variable(tf.tensor1d([0.4, -0.2, 1]), true, 'sam-w');
    const statistic = tf.variable(tf.scalar(7), false, 'sam-statistic');
    const loss = () => {
      statistic.assign(tf.add(statistic, 1)); // as a forward pass in training writes BatchNorm's statistics
      return tf.sum(tf.mul(a, tf.square(w))) as tf.Scalar;
    };
    const g = tf.tidy(() => tf.mul(tf.mul(a, 2), w));
    const before = tf.memory().numTensors;
    const [moved] = sharpnessAwareGrads([w], [g], loss, { rho: 0.5, restore: [statistic] });
    expect(tf.memory().numTensors).toBe(before + 1);

    const gv = [0.8, -1.2, 1];
    const norm = Math.hypot(...gv);
    const expected = [0.4, -0.2, 1].map((wi, i) => 2 * [1, 3, 0.5][i]! * (wi + (0.5 * gv[i]!) / norm));
    Array.from(moved!.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    expect(Array.from(w.dataSync())).toEqual(Array.from(tf.tensor1d([0.4, -0.2, 1]).dataSync()));
    expect(statistic.dataSync()[0]).toBe(7);
    tf.dispose([a, w, statistic, g, moved!]);
  });
});
