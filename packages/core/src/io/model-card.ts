import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { FrugalInputError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import { readUserFile } from './read-user-file.js';
import { formatZodError } from '../recipe/format-zod-error.js';
import type { StrategyData } from '../train/strategy.js';
import type { Normalization } from '../types.js';
import { imageDecodingSchema, MAX_INPUT_SIDE, type ImageDecoding } from './image-decoding.js';

/** Most classes a model card may declare. */
export const MAX_CLASSES = 100_000;
/** Largest `frugal.json` read. */
export const MAX_MODEL_CARD_BYTES = 10_000_000;

const side = z.number().int().min(1).max(MAX_INPUT_SIDE);

/** `frugal.json` beside a saved model: what `predict` and `eval` need to use it. */
export const modelCardSchema = z
  .looseObject({
    format: z.literal('frugal-model/1'),
    model: z.string().min(1).max(200),
    classNames: z.array(z.string().max(1000)).min(1).max(MAX_CLASSES),
    inputShape: z.tuple([side, side, z.number().int().min(1).max(4)]),
    normalization: z.strictObject({ mean: z.array(z.number()).min(1).max(4), std: z.array(z.number().positive()).min(1).max(4) }),
    decode: imageDecodingSchema.optional(),
    pretext: z.string().min(1).max(200).optional(),
  })
  .refine((c) => c.normalization.mean.length === c.normalization.std.length, {
    message: 'mean and std must have one value per channel each',
    path: ['normalization'],
  })
  .refine((c) => c.decode?.shorterSide === undefined || c.decode.shorterSide >= Math.max(c.inputShape[0], c.inputShape[1]), {
    message: 'the shorter side must be scaled to at least the input\'s height and width',
    path: ['decode', 'shorterSide'],
  });

export interface ModelCard {
  readonly format: 'frugal-model/1';
  readonly model: string;
  readonly classNames: readonly string[];
  readonly inputShape: readonly number[];
  readonly normalization: Normalization;
  /** How image files are fitted to `inputShape` (absent: the default, a centre crop of the scaled image). */
  readonly decode?: ImageDecoding;
  /**
   * The label-free task (its strategy's name) the model was trained on: its outputs are that task's
   * (`classNames` names them), not classes of images. Absent for a classifier.
   */
  readonly pretext?: string;
}

/** What a model card says of its model: all but the format. */
export type ModelCardFields = Omit<ModelCard, 'format'>;

/** Writes `dir/frugal.json`, the card of the model saved in `dir`, atomically. */
export async function writeModelCard(dir: string, fields: ModelCardFields): Promise<void> {
  const card: ModelCard = {
    format: 'frugal-model/1',
    model: fields.model,
    classNames: fields.classNames,
    inputShape: fields.inputShape,
    normalization: fields.normalization,
    ...(fields.decode ? { decode: fields.decode } : {}),
    ...(fields.pretext ? { pretext: fields.pretext } : {}),
  };
  await writeFileAtomic(join(dir, 'frugal.json'), `${JSON.stringify(card, null, 2)}\n`);
}

/** The card of a model trained on `data`: its classes, input shape, normalization and the source's decoding. */
export function modelCardFields(model: string, data: StrategyData, classNames: readonly string[] = data.classNames): ModelCardFields {
  return {
    model,
    classNames,
    inputShape: [...data.labelled.shape],
    normalization: data.normalization,
    ...(data.decode ? { decode: data.decode } : {}),
  };
}

/**
 * The folder holding the saved model `path` names, with its card: `path` itself (a model folder,
 * as `frugal convert` writes) or its `model/` (a run directory, as `frugal train` writes);
 * undefined when neither holds a `frugal.json`.
 */
export function findModelDir(path: string): string | undefined {
  return [path, join(path, 'model')].find((dir) => existsSync(join(dir, 'frugal.json')));
}

/** Refuses a model trained on a pretext task where classes of images are asked of it; `dir` names its folder. */
export function requireClassifier(card: ModelCard, dir: string): void {
  if (!card.pretext) return;
  throw new FrugalInputError(
    `${dir} holds a network trained on the pretext task "${card.pretext}": its outputs are that task's, not classes of images. ` +
      'Start a classifier from it (model.init, or the transfer strategy\'s source) and use that run',
  );
}

/** Checks a parsed model card; `file` names it in errors. */
export function parseModelCard(value: unknown, file: string): ModelCard {
  const parsed = modelCardSchema.safeParse(value);
  if (!parsed.success) {
    const first = formatZodError(parsed.error, file, value).split('\n')[0];
    throw new FrugalInputError(`${first}. The model card is damaged; restore it from the run or convert the model again`);
  }
  return parsed.data as ModelCard;
}

/** Reads and checks `dir/frugal.json`. */
export async function readModelCard(dir: string): Promise<ModelCard> {
  const file = join(dir, 'frugal.json');
  const text = (
    await readUserFile(file, { label: `The model card ${file}`, maxBytes: MAX_MODEL_CARD_BYTES, hint: 'restore it from the run, or convert the model again' })
  ).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new FrugalInputError(`${file} is not valid JSON (${(error as Error).message}); restore it from the run or convert the model again`);
  }
  return parseModelCard(value, file);
}
