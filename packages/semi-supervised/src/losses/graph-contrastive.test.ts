import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestBackend } from '../test-utils/tiny.js';
import { graphContrastiveLoss, pseudoLabelGraph } from './graph-contrastive.js';

beforeAll(useTestBackend);

describe('pseudoLabelGraph', () => {
  it('links images whose pseudo-labels agree, keeps self-loops, cuts weak edges and normalises rows', () => {
    const q = tf.tensor2d([
      [0.9, 0.1],
      [0.8, 0.2],
      [0.1, 0.9],
    ]);
    const graph = pseudoLabelGraph(q, 0.7).arraySync();
    // q0·q1 = 0.74 ≥ 0.7 (kept); q0·q2 = 0.18 and q1·q2 = 0.26 (cut).
    expect(graph[0]?.map((v) => +v.toFixed(6))).toEqual([+(1 / 1.74).toFixed(6), +(0.74 / 1.74).toFixed(6), 0]);
    expect(graph[2]).toEqual([0, 0, 1]);
    for (const row of graph) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    q.dispose();
  });
});

describe('graphContrastiveLoss', () => {
  it('is the cross-entropy of the embedding graph against the pseudo-label graph, by hand', () => {
    const a = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    const b = tf.tensor2d([
      [0.6, 0.8],
      [0, 1],
    ]);
    const graph = tf.tensor2d([
      [1, 0],
      [0.5, 0.5],
    ]);
    const t = 0.5;
    const logSoftmax = (row: number[]) => row.map((v) => v / t - Math.log(row.reduce((s, w) => s + Math.exp(w / t), 0)));
    const row0 = logSoftmax([0.6, 0]);
    const row1 = logSoftmax([0.8, 1]);
    const expected = -((row0[0] as number) + 0.5 * (row1[0] as number) + 0.5 * (row1[1] as number)) / 2;
    const loss = graphContrastiveLoss(a, b, graph, t);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 5);
    // Descent moves a's first row along b₀ − b₁ = [0.6, −0.2], towards its only neighbour b₀.
    const g = tf.grad((x: tf.Tensor) => graphContrastiveLoss(x as tf.Tensor2D, b, graph, t))(a).arraySync() as number[][];
    expect(g[0]?.[0]).toBeLessThan(0);
    expect(g[0]?.[1]).toBeGreaterThan(0);
    tf.dispose([a, b, graph, loss]);
  });
});
