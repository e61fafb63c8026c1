import type { Augmentation } from '@frugal/core';
import type { GraphSmoothing } from '../pseudo-labels/graph-smoothing.js';
import type { PseudoLabelOptions } from '../pseudo-labels/select-pseudo-labels.js';

/** A teacher → pseudo-labels → student loop: plain pseudo-labelling (one student) or Noisy Student. */
export interface SelfTrainingPlan {
  /** Strategy name; also the run directory's sub-folder. */
  readonly strategy: string;
  /** Model of every generation, teacher first: `models.length - 1` students. */
  readonly models: readonly string[];
  readonly pseudoLabels: PseudoLabelOptions;
  /** Pseudo-labelled images per labelled image in every student batch. */
  readonly unlabelledRatio: number;
  /** Weight of the pseudo-labelled part of the student's loss. */
  readonly unlabelledWeight: number;
  /** Epochs of the teacher (generation 0); default: the recipe's `train.epochs`; 0: the starting model (`model.init`) as it is. */
  readonly teacherEpochs?: number;
  /** Student steps per epoch; default: one pass over the larger of labelled and pseudo-labelled. */
  readonly stepsPerEpoch?: number;
  /** `fresh`: every student starts from its own initialisation; `teacher`: from the teacher's weights. */
  readonly studentInit: 'fresh' | 'teacher';
  /** Input noise added after the recipe's augmentations (students; the teacher too when `teacherNoise`). */
  readonly noiseAugment: readonly Augmentation[];
  /** Model noise parameters (dropout, stochastic depth) for a generation's model. */
  readonly noiseParams: (model: string) => Record<string, unknown>;
  readonly teacherNoise: boolean;
  /**
   * `redis://HOST:PORT`: each teacher labels an unlabelled folder on this job queue's workers
   * (`frugal worker`) instead of in this process.
   */
  readonly queue?: string;
  /** A pseudo-label file (`frugal label --out`) of the unlabelled folder: the first student's labels, instead of the teacher's predictions. */
  readonly teacherLabels?: string;
  /** Each teacher's predictions smoothed over a nearest-neighbour graph of the images' pixels before they become pseudo-labels. */
  readonly graphSmoothing?: GraphSmoothing;
}
