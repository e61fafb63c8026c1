import { trainConfigSchema } from '@frugal/core';
import { z } from 'zod';

const modelSpec = z.strictObject({ name: z.string().min(1), params: z.record(z.string(), z.unknown()).default({}) });

/** Overrides of the recipe's `train` section, checked against the training config schema. */
const trainOverride = z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
  const result = trainConfigSchema.safeParse(value);
  if (!result.success) for (const issue of result.error.issues) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});

const savedModel = z.strictObject({ type: z.literal('saved-model'), path: z.string().min(1) });
const checkpoint = z.strictObject({ type: z.literal('checkpoint'), path: z.string().min(1), model: modelSpec, ema: z.boolean().default(true) });

/**
 * The teacher: a saved model directory (e.g. a transfer run's `model/`), a checkpoint of a
 * registry model, an ensemble of such networks, or a registry model trained here first on the
 * labelled images.
 */
export const teacherSchema = z.discriminatedUnion('type', [
  savedModel,
  checkpoint,
  /** Several trained networks teaching as one: the mean of their logits. */
  z.strictObject({ type: z.literal('ensemble'), members: z.array(z.discriminatedUnion('type', [savedModel, checkpoint])).min(2).max(8) }),
  z.strictObject({
    type: z.literal('train'),
    model: modelSpec,
    /** Changes to the recipe's `train` section for the teacher (e.g. `{ epochs: 30 }`). */
    train: trainOverride.default({}),
  }),
]);

export const hintSchema = z.strictObject({
  /** Student layer whose output is matched (through a 1×1 adapter) to the teacher's. */
  studentLayer: z.string().min(1).default('features'),
  teacherLayer: z.string().min(1).default('features'),
  /** Weight of the hint term in the loss. */
  weight: z.number().min(0).default(1),
});

export const distillParams = z.strictObject({
  teacher: teacherSchema,
  /** T: softens teacher and student distributions in the distillation term. */
  temperature: z.number().positive().default(4),
  /** α: weight of the distillation term; 1 − α weighs the cross-entropy with the labels. */
  alpha: z.number().min(0).max(1).default(0.9),
  /** Add the data's unlabelled images to the transfer set (they get the distillation term only). */
  unlabelled: z.boolean().default(true),
  /** Use at most this many unlabelled images (a seeded random subset). */
  unlabelledLimit: z.number().int().min(1).optional(),
  /**
   * `cache`: the teacher's outputs are computed once, on un-augmented images. `on-the-fly`: the
   * teacher sees each step's augmented batch. `auto`: cache when the recipe has no augmentations.
   */
  teacherLogits: z.enum(['auto', 'cache', 'on-the-fly']).default('auto'),
  /** Hint (feature) distillation through a 1×1 adapter; off when absent. */
  hint: hintSchema.optional(),
}).superRefine((p, ctx) => {
  if (p.hint && p.teacher.type === 'ensemble') {
    ctx.addIssue({ code: 'custom', path: ['hint'], message: 'an ensemble teacher has no one layer to match; remove hint, or distil from one of its members' });
  }
});

export type DistillParams = z.output<typeof distillParams>;
export type DistillParamsInput = z.input<typeof distillParams>;
export type TeacherSpec = z.output<typeof teacherSchema>;
