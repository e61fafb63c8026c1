import { runNameSchema } from '@frugal/core';
import { z } from 'zod';

const section = z.record(z.string(), z.unknown());

/**
 * One rung of a ladder: what it changes in the ladder's recipe, and what it starts from.
 * `data`, `model` and `train` are merged into the ladder's (key by key); `augment`, `strategy` and
 * `callbacks` replace the ladder's.
 */
export const rungSchema = z.strictObject({
  /** Its run folder's name, and its row in the report. */
  name: runNameSchema,
  /** One line on what the rung adds. */
  explain: z.string().optional(),
  /** A step that prepares a later rung (a self-supervised source): run, but not a row of the table. */
  preparation: z.boolean().default(false),
  /** The model it starts from: `previous` (the rung above; the default), `fresh`, or a rung's name. */
  start: z.string().min(1).default('previous'),
  /**
   * The rung whose model teaches (a `distill` rung's `teacher`): `previous` or a rung's name; a
   * list of them teaches as an ensemble (the mean of their logits).
   */
  teacher: z.union([z.string().min(1), z.array(z.string().min(1)).min(2).max(8)]).optional(),
  data: section.optional(),
  model: section.optional(),
  augment: z.array(z.unknown()).optional(),
  strategy: section.optional(),
  train: section.optional(),
  callbacks: z.array(z.unknown()).optional(),
});

/** A ladder file: a recipe (what every rung shares) and its rungs, in order. */
export const ladderSchema = z.looseObject({
  rungs: z.array(rungSchema).min(1).max(32),
});

export type RungSpec = z.infer<typeof rungSchema>;
export type RungInput = z.input<typeof rungSchema>;
export type LadderInput = { rungs: RungInput[] } & Record<string, unknown>;
