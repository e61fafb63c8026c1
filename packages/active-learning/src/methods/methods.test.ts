import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@frugal/core';
import { useCpu } from '@frugal/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import type { ModelOutputs } from '../embed/model-outputs.js';
import { ACQUISITIONS } from './acquisitions.js';
import { diverseMargin } from './diverse-margin.js';
import { entropy } from './entropy.js';
import { margin } from './margin.js';
import { random } from './random.js';
import { byTypicality, typical } from './typical.js';

/** Model outputs over rows of 3-class probabilities and 2-d features (made unit length). */
function outputs(probabilities: number[][], features: number[][] = probabilities.map(() => [1, 0])): ModelOutputs {
  const unit = features.map(([x, y]) => {
    const n = Math.hypot(x!, y!) || 1;
    return [x! / n, y! / n];
  });
  return {
    indices: Int32Array.from(probabilities.keys()),
    probabilities: Float32Array.from(probabilities.flat()),
    features: Float32Array.from(unit.flat()),
    classes: probabilities[0]?.length ?? 3,
    dimensions: 2,
    skipped: [],
  };
}

const none = outputs([]);
beforeAll(useCpu);

describe('uncertainty', () => {
  const rows = [
    [0.9, 0.05, 0.05], // sure
    [0.5, 0.45, 0.05], // two classes close: margin 0.05
    [0.4, 0.3, 0.3], // flattest: highest entropy, margin 0.1
    [0.7, 0.2, 0.1],
  ];
  it('margin: the smallest gap between the two likeliest classes first', () => {
    expect(margin.select({ unlabelled: outputs(rows), labelled: none, count: 3, rng: new Rng(0) })).toEqual([1, 2, 3]);
  });
  it('entropy: the flattest distribution first', () => {
    expect(entropy.select({ unlabelled: outputs(rows), labelled: none, count: 2, rng: new Rng(0) })).toEqual([2, 1]);
  });
  it('diverse-margin: the least sure image of each group, where margin takes near-duplicates of one', () => {
    // Rows 0-2: one image three times over, the least sure; rows 3-5 another, a little surer; row 6 sure.
    const uncertain = [[0.5, 0.48, 0.02], [0.5, 0.48, 0.02], [0.5, 0.48, 0.02], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1], [0.5, 0.4, 0.1], [0.9, 0.05, 0.05]];
    const features = [[1, 0], [1, 0.01], [1, -0.01], [0, 1], [0.01, 1], [-0.01, 1], [-1, 0]];
    const input = { unlabelled: outputs(uncertain, features), labelled: none, count: 2, rng: new Rng(0) };
    expect(margin.select(input)).toEqual([0, 1]);
    const chosen = diverseMargin.select(input);
    expect(chosen).toHaveLength(2);
    expect(chosen[0]).toBeLessThan(3);
    expect(chosen[1]).toBeGreaterThanOrEqual(3);
    expect(chosen[1]).toBeLessThan(6);
  });
  it('random: distinct rows, the same for the same seed, others for another', () => {
    const many = outputs(Array.from({ length: 50 }, () => [1, 0, 0]));
    const a = random.select({ unlabelled: many, labelled: none, count: 10, rng: new Rng(1) });
    expect(new Set(a).size).toBe(10);
    expect(random.select({ unlabelled: many, labelled: none, count: 10, rng: new Rng(1) })).toEqual(a);
    expect(random.select({ unlabelled: many, labelled: none, count: 10, rng: new Rng(2) })).not.toEqual(a);
  });
});

describe('typical (TypiClust)', () => {
  // Two groups of directions: around 0° (rows 0-9) and around 90° (rows 10-19), each with an outlier at the edge.
  const angles = [...Array.from({ length: 10 }, (_, i) => (i - 4.5) * 2), ...Array.from({ length: 10 }, (_, i) => 90 + (i - 4.5) * 2)];
  angles[0] = -30;
  angles[19] = 120;
  const features = angles.map((a) => [Math.cos((a * Math.PI) / 180), Math.sin((a * Math.PI) / 180)]);
  const unlabelled = outputs(angles.map(() => [1 / 3, 1 / 3, 1 / 3]), features);

  it('orders rows from the densest to the outliers', () => {
    const order = byTypicality(unlabelled.features, 2, Array.from({ length: 10 }, (_, i) => i));
    expect(order[order.length - 1]).toBe(0);
    expect([4, 5]).toContain(order[0]);
  });

  it('first covers the group no label covers, with its most typical image, then the other', () => {
    const labelled = outputs([[1, 0, 0]], [[1, 0]]); // a label near 0°
    const before = tf.memory().numTensors;
    const chosen = typical.select({ unlabelled, labelled, count: 2, rng: new Rng(0) });
    expect(tf.memory().numTensors).toBe(before);
    expect([14, 15]).toContain(chosen[0]); // the centre of the 90° group
    expect([4, 5]).toContain(chosen[1]); // then the 0° group's centre
  });

  it('never chooses an image twice, and stops when every image is chosen', () => {
    const chosen = typical.select({ unlabelled, labelled: none, count: 20, rng: new Rng(0) });
    expect(new Set(chosen).size).toBe(20);
  });

  it('is the default method', () => {
    expect([...ACQUISITIONS.keys()][0]).toBe('typical');
  });
});
