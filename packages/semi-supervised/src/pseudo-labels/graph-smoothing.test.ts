import { Rng } from '@frugal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { patterns, useTestBackend } from '../test-utils/tiny.js';
import { graphSmoothingSchema, smoothOverPixels } from './graph-smoothing.js';
import { softmaxRows } from './softmax-rows.js';

beforeAll(useTestBackend);

describe('smoothOverPixels', () => {
  const labelled = patterns(30, 1);
  const unlabelled = patterns(600, 2);
  const options = graphSmoothingSchema.parse({ dimensions: 8 });

  it('corrects a teacher that is wrong on images whose pixel neighbours it gets right, and gives log-probabilities', () => {
    // A teacher right on every image but every tenth, where it is confident in the next class.
    const scores = new Float32Array(600 * 3);
    for (let i = 0; i < 600; i++) {
      const truth = unlabelled.labels[i] as number;
      scores[i * 3 + (i % 10 === 0 ? (truth + 1) % 3 : truth)] = 3;
    }
    const smoothed = smoothOverPixels(labelled, unlabelled, scores, 3, options, new Rng(1));
    expect(smoothed).toHaveLength(600 * 3);
    const argmax = (rows: Float32Array, i: number) => [0, 1, 2].reduce((best, c) => ((rows[i * 3 + c] as number) > (rows[i * 3 + best] as number) ? c : best), 0);
    let before = 0;
    let after = 0;
    for (let i = 0; i < 600; i++) {
      if (argmax(scores, i) === unlabelled.labels[i]) before++;
      if (argmax(smoothed, i) === unlabelled.labels[i]) after++;
      const total = [0, 1, 2].reduce((sum, c) => sum + Math.exp(smoothed[i * 3 + c] as number), 0);
      expect(total).toBeCloseTo(1, 5);
    }
    expect(before).toBe(540);
    expect(after).toBe(600);
    // With α = 0 the teacher's probabilities come back.
    const kept = smoothOverPixels(labelled, unlabelled, scores, 3, { ...options, alpha: 0 }, new Rng(1));
    const teacher = softmaxRows(scores, 3);
    expect(Array.from(kept.subarray(0, 6), Math.exp).map((p) => p.toFixed(5))).toEqual(Array.from(teacher.subarray(0, 6)).map((p) => p.toFixed(5)));
  });

  it('refuses more components than the images have pixel values, naming the field', () => {
    expect(() => smoothOverPixels(labelled, unlabelled, new Float32Array(600 * 3), 3, { ...options, dimensions: 65 }, new Rng(1))).toThrow(
      /strategy.params.graphSmoothing.dimensions is 65, but the images have 64 pixel values/,
    );
  });
});
