import { predictLogits, type BuiltModel, type ImageSet, type LoopState, type Normalization, type Rng, type TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { graphSmoothingSchema, smoothOverPixels } from './graph-smoothing.js';

/**
 * FixMatch's pseudo-labels with a second opinion from each image's neighbours in pixel space,
 * kept up to date as training goes: every `everyEpochs` epochs the model labels all the
 * unlabelled images and the labels are smoothed over the pixel graph (`graphSmoothing`'s label
 * propagation, anchored on the labelled images); each step's weak-view prediction is then mixed
 * with its image's smoothed label, `(1 − weight) · weak + weight · smoothed`.
 */
export const neighbourLabelsSchema = graphSmoothingSchema.extend({
  /** How much of each pseudo-label comes from the smoothed labels, against the weak view's own prediction. */
  weight: z.number().min(0).max(1).default(0.5),
  /** Epochs between two labellings of all the unlabelled images (the first is at the start of training). */
  everyEpochs: z.number().int().min(1).default(20),
});

export type NeighbourLabelsOptions = z.output<typeof neighbourLabelsSchema>;

/**
 * The smoothed labels of every unlabelled image, refreshed at the start of every `everyEpochs`-th
 * epoch. A training callback, so the labels travel with checkpoints and a resumed run mixes what
 * the interrupted one would have.
 */
export class NeighbourLabels implements TrainingCallback {
  readonly name = 'fixmatch-neighbour-labels';
  /** `unlabelled × classes` probabilities; absent until the first labelling. */
  private labels?: Float32Array;

  constructor(
    private readonly model: BuiltModel,
    private readonly labelled: ImageSet,
    private readonly unlabelled: ImageSet,
    private readonly normalization: Normalization,
    private readonly options: NeighbourLabelsOptions,
    private readonly rng: Rng,
    private readonly log: (message: string) => void = () => {},
  ) {}

  private get classes(): number {
    return this.labelled.classNames.length;
  }

  onEpochBegin(state: LoopState): void {
    // At an epoch's first step only: a run resumed within an epoch keeps the labels it saved.
    if (state.epoch % this.options.everyEpochs !== 0 || state.step !== state.epoch * state.stepsPerEpoch) return;
    const started = performance.now();
    this.labels = this.smoothed(predictLogits(this.model.model, this.unlabelled, { normalization: this.normalization }));
    this.log(`fixmatch: the unlabelled images' labels smoothed over their pixel neighbours (epoch ${state.epoch}, ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  }

  /** Log-probabilities smoothed over the pixel graph, as probabilities. */
  private smoothed(logits: Float32Array): Float32Array {
    const logProbabilities = smoothOverPixels(this.labelled, this.unlabelled, logits, this.classes, this.options, this.rng);
    return Float32Array.from(logProbabilities, Math.exp);
  }

  /** The weak views' probabilities `[n, C]` of the unlabelled images `images`, mixed with their smoothed labels. */
  mix(probabilities: tf.Tensor2D, images: ArrayLike<number>): tf.Tensor2D {
    const labels = this.labels;
    if (!labels) return probabilities.clone();
    const c = this.classes;
    const rows = new Float32Array(images.length * c);
    Array.from(images).forEach((j, i) => rows.set(labels.subarray(j * c, (j + 1) * c), i * c));
    const w = this.options.weight;
    return tf.tidy(() => tf.add(tf.mul(probabilities, 1 - w), tf.mul(tf.tensor2d(rows, [images.length, c]), w)));
  }

  getState(): { labels: string | null } {
    return { labels: this.labels ? Buffer.from(this.labels.buffer, this.labels.byteOffset, this.labels.byteLength).toString('base64') : null };
  }

  setState(state: unknown): void {
    const s = state as { labels?: unknown } | undefined;
    if (s?.labels === null) {
      this.labels = undefined;
      return;
    }
    const expected = this.unlabelled.labels.length * this.classes;
    const bytes = typeof s?.labels === 'string' ? Buffer.from(s.labels, 'base64') : undefined;
    if (!bytes || bytes.byteLength !== expected * 4) {
      throw new Error(`The checkpoint's neighbour labels do not match ${this.unlabelled.labels.length} unlabelled images × ${this.classes} classes; start the run afresh (without resume).`);
    }
    this.labels = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  }
}
