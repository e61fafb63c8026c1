import { describe, expect, it } from 'vitest';
import { propagateLabels } from './label-propagation.js';
import type { NeighbourGraph } from './pixel-graph.js';

/** A chain 0 — 1 — 2 — 3, each image linked to the next with weight 1. */
const chain: NeighbourGraph = { count: 4, k: 1, neighbours: Int32Array.from([1, 2, 3, 3]), weights: Float32Array.from([1, 1, 1, 0]) };

describe('propagateLabels', () => {
  it('gives the images between two labels the class of the nearer one', () => {
    // Image 0 is class A, image 3 class B; images 1 and 2 start undecided.
    const start = Float32Array.from([1, 0, 0.5, 0.5, 0.5, 0.5, 0, 1]);
    const f = propagateLabels(chain, start, 2, { alpha: 0.9, iterations: 50 });
    expect(f[2]).toBeGreaterThan(f[3] as number);
    expect(f[5]).toBeGreaterThan(f[4] as number);
    expect(f[0]).toBeGreaterThan(f[1] as number);
    expect(f[7]).toBeGreaterThan(f[6] as number);
  });

  it('overrules the teacher on an image whose neighbours all say otherwise when α is large, and keeps the start at α = 0', () => {
    // A star: image 0 and its three neighbours; the teacher says B for image 0, A for the others.
    const star: NeighbourGraph = { count: 4, k: 3, neighbours: Int32Array.from([1, 2, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3]), weights: Float32Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]) };
    const start = Float32Array.from([0.3, 0.7, 0.9, 0.1, 0.9, 0.1, 0.9, 0.1]);
    const smoothed = propagateLabels(star, start, 2, { alpha: 0.8, iterations: 30 });
    expect(smoothed[0]).toBeGreaterThan(smoothed[1] as number);
    expect(Array.from(propagateLabels(star, start, 2, { alpha: 0, iterations: 5 }))).toEqual(Array.from(start));
  });
});
