import { FrugalInputError, type ImageSet, type Rng } from '@frugal/core';
import { z } from 'zod';
import { propagateLabels } from './label-propagation.js';
import { pixelGraph, type NeighbourGraph } from './pixel-graph.js';
import { softmaxRows } from './softmax-rows.js';

/**
 * A teacher's predictions smoothed over a nearest-neighbour graph of the images' pixels before they
 * become pseudo-labels: label propagation from the labelled images' labels and the teacher's
 * probabilities. For images whose pixels line up from one image to the next (centred, one object,
 * one scale: Fashion-MNIST, MNIST), where neighbours in pixel space make other mistakes than the network.
 */
export const graphSmoothingSchema = z.strictObject({
  /** Neighbours of each image in the graph. */
  neighbours: z.number().int().min(1).max(200).default(10),
  /** α: how much of each image's label comes from its neighbours, against the teacher's own (1 − α). */
  alpha: z.number().min(0).lt(1).default(0.7),
  /** Principal components of the pixels the neighbours are found in. */
  dimensions: z.number().int().min(1).max(4096).default(50),
  /** Propagation steps. */
  iterations: z.number().int().min(1).max(200).default(20),
});

export type GraphSmoothing = z.output<typeof graphSmoothingSchema>;

/** Graphs already built, by unlabelled set: a Noisy Student run's generations share one. */
const built = new WeakMap<ImageSet, { labelled: ImageSet; key: string; graph: NeighbourGraph }>();

/** The pixel graph of the labelled and unlabelled images, built once for the same images, options and seed. */
function graphOf(labelled: ImageSet, unlabelled: ImageSet, options: GraphSmoothing, rng: Rng): NeighbourGraph {
  const key = `${options.neighbours}/${options.dimensions}/${String(rng.seed)}`;
  const known = built.get(unlabelled);
  if (known && known.labelled === labelled && known.key === key) return known.graph;
  const graph = pixelGraph([labelled, unlabelled], { neighbours: options.neighbours, dimensions: options.dimensions, rng });
  built.set(unlabelled, { labelled, key, graph });
  return graph;
}

/**
 * The teacher's scores on the unlabelled images (`rows × classes` logits or log-probabilities),
 * smoothed over the pixel graph of the labelled and unlabelled images: log-probabilities.
 */
export function smoothOverPixels(
  labelled: ImageSet,
  unlabelled: ImageSet,
  scores: Float32Array,
  classes: number,
  options: GraphSmoothing,
  rng: Rng,
): Float32Array {
  const [h, w, c] = unlabelled.shape;
  if (options.dimensions > h * w * c) {
    throw new FrugalInputError(
      `strategy.params.graphSmoothing.dimensions is ${options.dimensions}, but the images have ${h * w * c} pixel values; set it to at most that`,
    );
  }
  const nl = labelled.labels.length;
  const graph = graphOf(labelled, unlabelled, options, rng);
  const start = new Float32Array(graph.count * classes);
  labelled.labels.forEach((label, i) => (start[i * classes + label] = 1));
  start.set(softmaxRows(scores, classes), nl * classes);
  const smoothed = propagateLabels(graph, start, classes, options).subarray(nl * classes);
  const out = new Float32Array(smoothed.length);
  for (let r = 0; r < smoothed.length / classes; r++) {
    let total = 0;
    for (let k = 0; k < classes; k++) total += Math.max(smoothed[r * classes + k] as number, 0);
    for (let k = 0; k < classes; k++) out[r * classes + k] = Math.log(Math.max(smoothed[r * classes + k] as number, 1e-12) / Math.max(total, 1e-12));
  }
  return out;
}
