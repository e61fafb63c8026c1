import { beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '@frugal/core';
import { useCpu } from '@frugal/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { kMeans, nearestCentres } from './k-means.js';

/** `perBlob` 2-d points around each of `centres`, ±0.1. */
function blobs(centres: readonly [number, number][], perBlob: number, rng: Rng): Float32Array {
  const points: number[] = [];
  for (const [x, y] of centres) for (let i = 0; i < perBlob; i++) points.push(x + rng.uniform(-0.1, 0.1), y + rng.uniform(-0.1, 0.1));
  return Float32Array.from(points);
}

beforeAll(useCpu);

describe('kMeans', () => {
  const centres: [number, number][] = [[0, 0], [5, 0], [0, 5]];
  const points = blobs(centres, 20, new Rng(1));

  it('finds well-separated blobs: every blob one cluster', () => {
    const before = tf.memory().numTensors;
    const { assignments, k } = kMeans(points, 2, 3, new Rng(2));
    expect(k).toBe(3);
    const clusterOfBlob = [0, 1, 2].map((b) => new Set(assignments.subarray(b * 20, (b + 1) * 20)));
    for (const set of clusterOfBlob) expect(set.size).toBe(1);
    expect(new Set(clusterOfBlob.map((s) => [...s][0])).size).toBe(3);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same clusters for the same seed', () => {
    const a = kMeans(points, 2, 5, new Rng(7));
    const b = kMeans(points, 2, 5, new Rng(7));
    expect(Array.from(a.assignments)).toEqual(Array.from(b.assignments));
    expect(Array.from(a.centres)).toEqual(Array.from(b.centres));
  });

  it('takes k = n, and as many clusters as there are points when points repeat', () => {
    expect(new Set(kMeans(points.subarray(0, 8), 2, 4, new Rng(0)).assignments).size).toBe(4);
    const same = new Float32Array(10).fill(1);
    expect(Array.from(kMeans(same, 2, 3, new Rng(0)).assignments)).toEqual([0, 0, 0, 0, 0]);
  });

  it('refuses k outside 1..n', () => {
    expect(() => kMeans(points, 2, 0, new Rng(0))).toThrow(/k = 0/);
    expect(() => kMeans(points, 2, 61, new Rng(0))).toThrow(/1\.\.60/);
  });

  it('assigns each point to its nearest centre, in chunks beyond 8,192 rows', () => {
    const many = blobs(centres, 3000, new Rng(3));
    const nearest = nearestCentres(many, 2, Float32Array.from(centres.flat()), 3);
    expect(nearest.length).toBe(9000);
    expect(Array.from(nearest.subarray(0, 3000)).every((c) => c === 0)).toBe(true);
    expect(Array.from(nearest.subarray(8500)).every((c) => c === 2)).toBe(true);
  });
});
