import { z } from 'zod';
import { trainConfigSchema } from '../train/train-config.js';
import { pluginSpecSchema } from './plugin-spec.js';
import { augmentSpecSchema, type OpSpec } from '../augment-spec/spec.js';

const params = z.record(z.string(), z.unknown()).default({});

export const normalizationSchema = z.union([
  z.enum(['dataset', 'pretrained', 'none']),
  z.strictObject({ mean: z.array(z.number()).min(1), std: z.array(z.number().positive()).min(1) }),
]);

export const dataSectionSchema = z
  .strictObject({
    /** A `datasets` registry name: `mnist`, `fashion-mnist`, `image-folder`, ... */
    dataset: z.string().min(1),
    params,
    /** Labelled images kept per class; the rest of the training set becomes unlabelled, beside the dataset's own unlabelled images. */
    labelledPerClass: z.number().int().min(1).optional(),
    /** Or a fraction of every class. */
    labelledFraction: z.number().gt(0).max(1).optional(),
    /** Validation images per class, taken from the labelled training images (alone: all the others stay labelled). */
    validationPerClass: z.number().int().min(0).default(0),
    /** Evaluate on at most this many test images (a class-balanced subset), for quick runs. */
    testLimit: z.number().int().min(1).optional(),
    /** Train on at most this many unlabelled images (a random subset, drawn by the seed without reading labels), for quick runs or a folder larger than the time allows. */
    unlabelledLimit: z.number().int().min(1).optional(),
    normalization: normalizationSchema
      .default('dataset')
      .describe(
        "dataset: its images' per-channel mean and std; pretrained: those the network the run starts from was trained with (model.init's or a transfer source's model card, or what the model's imported weights expect); none; or a { mean, std } of pixels in 0–1",
      ),
  })
  .refine((d) => !(d.labelledPerClass && d.labelledFraction), {
    message: 'give labelledPerClass or labelledFraction, not both',
    path: ['labelledFraction'],
  });

/** A run's name is a folder name under output.dir: no separators, no `..`, a sane length. */
export const runNameSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_][A-Za-z0-9._-]*$/, 'expected a plain folder name: letters a-z and A-Z, digits, ".", "_" and "-", not starting with "." or "-"');

/** More augmentation ops than any pipeline needs; a longer list is a mistake. */
export const MAX_AUGMENT_OPS = 64;

export const recipeSchema = z.strictObject({
  name: runNameSchema.optional(),
  seed: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  /** `auto` picks the fastest backend present (with @frugal/runtime-gpu). The `frugal` commands set it (`--backend` wins); `runRecipe` uses it when no backend was set before it. */
  backend: z.string().default('auto'),
  /** Threads of the native backend (`frugal train`, and each rung of `frugal ladder`); `--threads` wins, FRUGAL_NUM_THREADS or one per core by default. */
  threads: z.number().int().min(1).max(1024).optional(),
  /**
   * What the native backend's convolutions compute in (`frugal train`, a ladder file's top level): float32, or bfloat16 (inputs
   * and filters rounded to bfloat16, sums in float32; CPUs with AVX512-BF16 or AMX). `--precision` wins.
   */
  precision: z.enum(['float32', 'bfloat16']).optional(),
  /** Extra plugin packages, loaded by package name: `"pkg"` or `["pkg", { ...options }]`. */
  plugins: z.array(pluginSpecSchema).default([]),
  data: dataSectionSchema,
  model: z.strictObject({
    name: z.string().min(1),
    params,
    /**
     * Start from a saved model's weights (a run directory or its model/ folder): those whose name
     * and shape match are copied, the rest (a head for another class count) keep their initialisation.
     */
    init: z.string().min(1).optional(),
  }),
  augment: z.array(augmentSpecSchema).max(MAX_AUGMENT_OPS).default([]),
  strategy: z.strictObject({ name: z.string().min(1).default('supervised'), params }).prefault({}),
  train: trainConfigSchema.prefault({}),
  callbacks: z.array(z.strictObject({ name: z.string().min(1), params })).default([]),
  output: z.strictObject({ dir: z.string().min(1).default('runs') }).prefault({}),
});

/** A validated recipe: every augmentation in object form (`{ op, ...its parameters }`), defaults filled in. */
export type Recipe = Omit<z.infer<typeof recipeSchema>, 'augment'> & { augment: OpSpec[] };
export type RecipeInput = z.input<typeof recipeSchema>;
