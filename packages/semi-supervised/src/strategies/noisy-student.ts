import { FrugalInputError, type Strategy, type StrategyContext, type StrategyFactory } from '@frugal/core';
import { z } from 'zod';
import { augmentSpecSchema, resolveAugmentations } from '../augment/augment-spec.js';
import { modelTakes } from '../self-training/build-model.js';
import { runSelfTraining } from '../self-training/self-training.js';
import { pseudoLabelFields } from './pseudo-label-params.js';

/** Model noise used when the model takes it and the recipe does not say otherwise. */
export const DEFAULT_MODEL_NOISE = { dropout: 0.5, stochasticDepthRate: 0.2 } as const;

export const noisyStudentParams = z.strictObject({
  ...pseudoLabelFields,
  confidenceThreshold: pseudoLabelFields.confidenceThreshold.default(0.8),
  /** Students trained one after another (2-4 in the paper); default: `models.length - 1`, else 3. */
  iterations: z.number().int().min(1).max(10).optional(),
  /**
   * Model of each generation, teacher first, e.g. ['resnet20', 'resnet32', 'resnet56']; the last one
   * repeats for later generations. Default: the recipe's model for every generation.
   */
  models: z.array(z.string().min(1)).min(1).optional(),
  noise: z
    .strictObject({
      /** Input noise after the recipe's augmentations, resolved by name from the augmentations registry. */
      augment: z.array(augmentSpecSchema).default([{ op: 'rand-augment' }]),
      /** Model `dropout` parameter (default 0.5 when the model takes it). */
      dropout: z.number().min(0).lt(1).optional(),
      /** Model `stochasticDepthRate` parameter (default 0.2 when the model takes it). */
      stochasticDepthRate: z.number().min(0).lt(1).optional(),
    })
    .prefault({}),
  /** Train the teacher (generation 0) with the same noise. */
  teacherNoise: z.boolean().default(true),
  /** `fresh` (the paper): each student starts from its own initialisation; `teacher`: from the teacher's weights. */
  studentInit: z.enum(['fresh', 'teacher']).default('fresh'),
});

export type NoisyStudentParams = z.input<typeof noisyStudentParams>;
type Params = z.output<typeof noisyStudentParams>;

/** The model of every generation, teacher first. */
export function generationModels(p: Params, recipeModel: string): string[] {
  const listed = p.models ?? [recipeModel];
  const iterations = p.iterations ?? (p.models ? Math.max(1, p.models.length - 1) : 3);
  if (listed.length > iterations + 1) {
    throw new FrugalInputError(
      `noisy-student: models lists ${listed.length} generations (${listed.join(', ')}) but iterations is ${iterations}, ` +
        `which trains ${iterations + 1} (the teacher and ${iterations} students); raise iterations or shorten the list`,
    );
  }
  return Array.from({ length: iterations + 1 }, (_, g) => listed[Math.min(g, listed.length - 1)] as string);
}

function modelNoise(ctx: StrategyContext, p: Params): (model: string) => Record<string, unknown> {
  const said = new Set<string>();
  return (model) => {
    const out: Record<string, unknown> = {};
    for (const key of ['dropout', 'stochasticDepthRate'] as const) {
      const explicit = p.noise[key];
      const value = explicit ?? DEFAULT_MODEL_NOISE[key];
      if (value === 0) continue;
      if (modelTakes(ctx.frugal, model, ctx.model.params, key, value)) {
        out[key] = value;
      } else if (explicit !== undefined) {
        throw new FrugalInputError(
          `noisy-student: noise.${key} is ${explicit}, but model "${model}" takes no "${key}" parameter; ` +
            `set strategy.params.noise.${key} to 0 or choose a model that has it (the ResNets take dropout and stochasticDepthRate)`,
        );
      } else if (!said.has(`${model}/${key}`)) {
        said.add(`${model}/${key}`);
        ctx.log(`noisy-student: model "${model}" takes no "${key}" parameter, so it trains without that noise`);
      }
    }
    return out;
  };
}

/**
 * Noisy Student self-training (Xie et al. 2020): a teacher trained on the labelled images
 * pseudo-labels the unlabelled ones; an equal-or-larger student learns from labelled +
 * pseudo-labelled images under noise (RandAugment, dropout, stochastic depth) and becomes the next
 * teacher.
 */
export const noisyStudent: StrategyFactory<Params> = (p): Strategy => ({
  run: async (ctx) => {
    const models = generationModels(p, ctx.model.name);
    const noiseAugment = resolveAugmentations(ctx.frugal, p.noise.augment, 'strategy.params.noise.augment');
    return runSelfTraining(ctx, {
      strategy: 'noisy-student',
      models,
      pseudoLabels: p,
      unlabelledRatio: p.unlabelledRatio,
      unlabelledWeight: p.unlabelledWeight,
      teacherEpochs: p.teacherEpochs,
      stepsPerEpoch: p.stepsPerEpoch,
      studentInit: p.studentInit,
      noiseAugment,
      noiseParams: modelNoise(ctx, p),
      teacherNoise: p.teacherNoise,
      queue: p.queue,
      teacherLabels: p.teacherLabels,
      graphSmoothing: p.graphSmoothing,
    });
  },
});
