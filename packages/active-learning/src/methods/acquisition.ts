import type { Rng } from '@frugal/core';
import type { ModelOutputs } from '../embed/model-outputs.js';

/** What an acquisition method chooses from. */
export interface AcquisitionInput {
  /** The model's outputs on the unlabelled images: the candidates. */
  readonly unlabelled: ModelOutputs;
  /** Its outputs on the images labelled so far. */
  readonly labelled: ModelOutputs;
  /** How many images to choose (at most the candidates). */
  readonly count: number;
  readonly rng: Rng;
}

/**
 * A way to choose the images a person should label next. Adding one is one file and one line in
 * `acquisitions.ts`.
 */
export interface Acquisition {
  readonly name: string;
  /** One line for `--help` and the docs. */
  readonly description: string;
  /**
   * Whether it reads the model's class probabilities, not only its features: such a method cannot
   * choose with a network whose outputs are not the dataset's classes (a pretext run's).
   */
  readonly readsPredictions: boolean;
  /** Rows of `input.unlabelled` to label, `input.count` of them, the most useful first. */
  select(input: AcquisitionInput): number[];
}

/** The `count` rows with the lowest `score`, lowest first (ties in row order). */
export function lowestScores(score: Float64Array, count: number): number[] {
  return Array.from(score.keys())
    .sort((a, b) => (score[a] as number) - (score[b] as number) || a - b)
    .slice(0, count);
}
