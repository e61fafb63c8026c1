import type { LayersModel } from '@tensorflow/tfjs-layers';
import { FrugalInputError, Rng, type ImageSet, type Normalization, type StreamedImageSet } from '@frugal/core';
import { modelOutputs } from './embed/model-outputs.js';
import { ACQUISITIONS } from './methods/acquisitions.js';

export interface SuggestOptions {
  /** The model trained on the labels so far, or on a pretext task (see `predictsClasses`). */
  readonly model: LayersModel;
  /**
   * Whether the model's outputs are the dataset's classes (default true). A network trained on a
   * pretext task has outputs of its own: only a method that reads its features alone can choose
   * with it (the first labels of a folder), and no guess goes beside the images.
   */
  readonly predictsClasses?: boolean;
  /** The normalisation it was trained with. */
  readonly normalization: Normalization;
  /** The images labelled so far. */
  readonly labelled: ImageSet;
  /** The images to choose from: a folder read in batches, or images in memory (named by their `origins`). */
  readonly unlabelled: StreamedImageSet | ImageSet;
  /** How many to choose. */
  readonly count: number;
  /** An acquisition method of `ACQUISITIONS` (default: the first, `typical`). */
  readonly method?: string;
  readonly seed: number | string;
  /** Images per forward pass (default 64). */
  readonly batchSize?: number;
  readonly onProgress?: (done: number, total: number) => void;
}

/** One image to label: its path (within the unlabelled folder) and the model's guess, when it predicts classes. */
export interface Suggestion {
  readonly file: string;
  readonly predicted?: string;
  /** The softmax probability of `predicted`. */
  readonly confidence?: number;
}

export interface Suggestions {
  readonly method: string;
  /** The images to label, the most useful first. */
  readonly suggestions: Suggestion[];
  /** Unlabelled images the method chose from. */
  readonly candidates: number;
  /** Unlabelled images that could not be decoded (left out), by path and reason. */
  readonly skipped: readonly { readonly file: string; readonly reason: string }[];
}

/**
 * The acquisition method called `name` (default: the first), or an input error: listing them for
 * an unknown name, naming those that read features alone for a model that predicts no classes.
 */
export function acquisition(name: string | undefined, predictsClasses = true) {
  const method = ACQUISITIONS.get(name ?? [...ACQUISITIONS.keys()][0]!);
  if (!method) throw new FrugalInputError(`Unknown acquisition method "${name}"; use one of ${[...ACQUISITIONS.keys()].join(', ')}`);
  if (!predictsClasses && method.readsPredictions) {
    const alone = [...ACQUISITIONS.values()].filter((a) => !a.readsPredictions).map((a) => a.name);
    throw new FrugalInputError(
      `Method "${method.name}" reads the model's class predictions, but this model's outputs are not the dataset's classes (a pretext task's network); choose with ${alone.join(' or ')}, which read its features alone`,
    );
  }
  return method;
}

/**
 * The unlabelled images a person should label next: the model's outputs on the labelled and the
 * unlabelled images, then the acquisition method's choice. The same model, images and seed give
 * the same suggestions on the same backend.
 */
export async function suggestImages(options: SuggestOptions): Promise<Suggestions> {
  const predicts = options.predictsClasses ?? true;
  const method = acquisition(options.method, predicts);
  const { model, normalization, batchSize } = options;
  const labelled = await modelOutputs(model, options.labelled, { normalization, ...(batchSize ? { batchSize } : {}) });
  const unlabelled = await modelOutputs(model, options.unlabelled, {
    normalization,
    ...(batchSize ? { batchSize } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  if (unlabelled.indices.length === 0 && unlabelled.skipped.length > 0) {
    const [first] = unlabelled.skipped;
    const where = 'dir' in options.unlabelled ? `Unlabelled image folder "${options.unlabelled.dir}"` : 'The unlabelled set';
    throw new FrugalInputError(`${where} has no readable images (all ${unlabelled.skipped.length} were skipped; "${first?.file}": ${first?.reason}); put readable images (jpg, png, webp, ...) in it`);
  }
  const count = Math.min(options.count, unlabelled.indices.length);
  const rows = count > 0 ? method.select({ unlabelled, labelled, count, rng: new Rng(options.seed).child(`suggest/${method.name}`) }) : [];
  const set = options.unlabelled;
  const classNames = set.classNames;
  const fileOf = (i: number): string => ('count' in set ? set.file(i) : (set.origins?.[i] ?? `#${i}`));
  const suggestions = rows.map((row): Suggestion => {
    const file = fileOf(unlabelled.indices[row] as number);
    if (!predicts) return { file };
    const p = unlabelled.probabilities.subarray(row * unlabelled.classes, (row + 1) * unlabelled.classes);
    let best = 0;
    for (let j = 1; j < p.length; j++) if ((p[j] as number) > (p[best] as number)) best = j;
    return { file, predicted: classNames[best] ?? String(best), confidence: p[best] as number };
  });
  return { method: method.name, suggestions, candidates: unlabelled.indices.length, skipped: unlabelled.skipped };
}
