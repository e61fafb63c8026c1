import type { Strategy, StrategyFactory } from '@frugal/core';
import { z } from 'zod';
import { runSelfTraining } from '../self-training/self-training.js';
import { pseudoLabelFields } from './pseudo-label-params.js';

export const pseudoLabelParams = z.strictObject({
  ...pseudoLabelFields,
  confidenceThreshold: pseudoLabelFields.confidenceThreshold.default(0.9),
  /** Teacher → student rounds; each round's student labels the unlabelled set for the next. */
  rounds: z.number().int().min(1).max(10).default(1),
  /** `teacher`: the student continues from the teacher's weights (Lee 2013); `fresh`: a new initialisation. */
  studentInit: z.enum(['fresh', 'teacher']).default('teacher'),
});

export type PseudoLabelParams = z.input<typeof pseudoLabelParams>;

/**
 * Pseudo-labelling: a teacher trained on the labelled images labels the unlabelled ones; the
 * confident predictions (optionally class-balanced, hard or soft) join the labelled images, mixed
 * at a fixed ratio in every batch, to train the student.
 */
export const pseudoLabel: StrategyFactory<z.output<typeof pseudoLabelParams>> = (p): Strategy => ({
  run: async (ctx) =>
    runSelfTraining(ctx, {
      strategy: 'pseudo-label',
      models: new Array<string>(p.rounds + 1).fill(ctx.model.name),
      pseudoLabels: p,
      unlabelledRatio: p.unlabelledRatio,
      unlabelledWeight: p.unlabelledWeight,
      teacherEpochs: p.teacherEpochs,
      stepsPerEpoch: p.stepsPerEpoch,
      studentInit: p.studentInit,
      noiseAugment: [],
      noiseParams: () => ({}),
      teacherNoise: false,
      queue: p.queue,
      teacherLabels: p.teacherLabels,
      graphSmoothing: p.graphSmoothing,
    }),
});
