import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { patterns, useTestBackend } from '../test-utils/tiny.js';
import { pixelGraph } from './pixel-graph.js';

beforeAll(useTestBackend);

describe('pixelGraph', () => {
  // Stripes of three orientations, each in two phases, under pixel noise: 2,000 images over two sets, read in chunks.
  const labelled = patterns(30, 1);
  const unlabelled = patterns(1970, 2);
  const labelOf = (i: number) => (i < 30 ? labelled.labels[i] : unlabelled.labels[i - 30]) as number;

  it('links each image to images of its own pattern, never to itself, with weights in [0, 1]', () => {
    const before = tf.memory().numTensors;
    const graph = pixelGraph([labelled, unlabelled], { neighbours: 5, dimensions: 8, rng: new Rng(3) });
    expect(tf.memory().numTensors).toBe(before);
    expect(graph.count).toBe(2000);
    expect(graph.neighbours).toHaveLength(2000 * 5);
    let same = 0;
    for (let i = 0; i < graph.count; i++) {
      for (let e = i * 5; e < i * 5 + 5; e++) {
        const j = graph.neighbours[e] as number;
        expect(j).not.toBe(i);
        if (labelOf(j) === labelOf(i)) same++;
        expect(graph.weights[e]).toBeGreaterThan(0);
        expect(graph.weights[e]).toBeLessThanOrEqual(1);
      }
    }
    expect(same / (2000 * 5)).toBeGreaterThan(0.99);
  });

  it('is the same graph from the same seed', () => {
    const a = pixelGraph([labelled, unlabelled], { neighbours: 3, dimensions: 4, rng: new Rng(3) });
    const b = pixelGraph([labelled, unlabelled], { neighbours: 3, dimensions: 4, rng: new Rng(3) });
    expect(b.neighbours).toEqual(a.neighbours);
    expect(b.weights).toEqual(a.weights);
  });

  it('points the edges it cannot fill at the image itself, with no weight', () => {
    const graph = pixelGraph([patterns(3, 1)], { neighbours: 4, dimensions: 2, rng: new Rng(3) });
    expect(Array.from(graph.neighbours.subarray(0, 4)).filter((j) => j === 0)).toHaveLength(2);
    expect(Array.from(graph.weights.subarray(2, 4))).toEqual([0, 0]);
  });
});
