import type { NeighbourGraph } from './pixel-graph.js';

export interface PropagationOptions {
  /** α: how much of each row comes from its neighbours, against its own start (1 − α). */
  readonly alpha: number;
  readonly iterations: number;
}

/**
 * Label propagation (Zhou et al. 2004): F ← α·S·F + (1 − α)·Y, where S = D^-½ W D^-½ is the graph's
 * symmetric (W + Wᵀ), normalised weight matrix and Y the rows' start (`count × classes`: one-hot
 * rows for labelled images, a teacher's probabilities for the others). Each image's row moves
 * towards its neighbours', so an image between classes takes the class of the images around it.
 * Returns F, rows as the start gives them (not normalised).
 */
export function propagateLabels(graph: NeighbourGraph, start: Float32Array, classes: number, options: PropagationOptions): Float32Array {
  const { count, k, neighbours, weights } = graph;
  const degree = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    for (let e = i * k; e < (i + 1) * k; e++) {
      degree[i]! += weights[e] as number;
      degree[neighbours[e] as number]! += weights[e] as number;
    }
  }
  const edge = Float32Array.from(weights, (w, e) => {
    const i = Math.floor(e / k);
    const j = neighbours[e] as number;
    return w / Math.sqrt(Math.max((degree[i] as number) * (degree[j] as number), 1e-12));
  });
  let f = Float32Array.from(start);
  for (let t = 0; t < options.iterations; t++) {
    const next = Float32Array.from(start, (y) => (1 - options.alpha) * y);
    for (let i = 0; i < count; i++) {
      for (let e = i * k; e < (i + 1) * k; e++) {
        const j = neighbours[e] as number;
        const w = options.alpha * (edge[e] as number);
        if (w === 0) continue;
        // W + Wᵀ: the edge i → j carries j's row to i and i's row to j.
        for (let c = 0; c < classes; c++) {
          next[i * classes + c]! += w * (f[j * classes + c] as number);
          next[j * classes + c]! += w * (f[i * classes + c] as number);
        }
      }
    }
    f = next;
  }
  return f;
}
