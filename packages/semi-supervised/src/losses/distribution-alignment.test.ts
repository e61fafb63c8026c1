import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { DistributionAlignment } from './distribution-alignment.js';

beforeAll(useTestBackend);

describe('DistributionAlignment', () => {
  it('damps the classes the model over-predicts and lifts the others, rows still summing to 1', () => {
    // A model that puts 70% on class 0 on average, over 3 classes.
    const probs = tf.tensor2d([
      [0.8, 0.1, 0.1],
      [0.6, 0.3, 0.1],
    ]);
    const align = new DistributionAlignment(3, 0);
    const aligned = align.align(probs);
    expect(align.modelDistribution().map((p) => +p.toFixed(6))).toEqual([0.7, 0.2, 0.1]);
    const rows = aligned.arraySync();
    // row 0: (0.8/0.7, 0.1/0.2, 0.1/0.1) renormalised
    const q = [0.8 / 0.7, 0.5, 1];
    const total = q.reduce((a, b) => a + b, 0);
    rows[0]?.forEach((v, c) => expect(v).toBeCloseTo((q[c] as number) / total, 6));
    for (const row of rows) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(rows[1]?.[0]).toBeLessThan(0.6);
    tf.dispose([probs, aligned]);
  });

  it('moves its average by the momentum, and saves and restores it', () => {
    const align = new DistributionAlignment(2, 0.9);
    const probs = tf.tensor2d([[1, 0]]);
    tf.dispose(align.align(probs));
    expect(align.modelDistribution().map((p) => +p.toFixed(6))).toEqual([0.55, 0.45]);
    const copy = new DistributionAlignment(2, 0.9);
    copy.setState(JSON.parse(JSON.stringify(align.getState())));
    expect(copy.modelDistribution()).toEqual(align.modelDistribution());
    expect(() => new DistributionAlignment(3, 0.9).setState(align.getState())).toThrow(/does not match 3 classes/);
    probs.dispose();
  });
});
