import { join } from 'node:path';
import {
  FOLDER_LABELLER,
  FrugalInputError,
  imageBatch,
  InferenceModel,
  modelCardFields,
  normalize,
  readPseudoLabelFile,
  writeModelCard,
  type BuiltModel,
  type FolderLabeller,
  type FolderLabels,
  type Frugal,
  type ImageSet,
  type Normalization,
  type StrategyContext,
  type StreamedImageSet,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

/** Images per forward pass when a teacher labels a folder, here or on a queue's workers (the same batches give the same numbers). */
export const LABEL_BATCH_SIZE = 64;

/** A teacher's predictions on streamed unlabelled images. */
export interface TeacherPredictions {
  /** `rows × classes` log-probabilities (their softmax is the teacher's softmax). */
  readonly scores: Float32Array;
  /** The image (index into the streamed set) of each row; images that could not be decoded have none. */
  readonly images: Int32Array;
}

function logRows(probabilities: Float32Array): Float32Array {
  return Float32Array.from(probabilities, (p) => Math.log(p));
}

/**
 * The teacher's softmax on every image of a streamed set, in this process: the folder read in
 * batches of `LABEL_BATCH_SIZE`, and the forward pass of `@frugal/distributed`'s `labelRange`
 * (inference mode, batch norms folded), so that labelling here and on a queue's workers give the
 * same numbers. An image that cannot be decoded is reported and left out.
 */
export async function predictStreamed(
  model: BuiltModel['model'],
  set: StreamedImageSet,
  normalization: Normalization,
  log: (message: string) => void,
): Promise<TeacherPredictions> {
  const [h, w, c] = set.shape;
  const chunks: Float32Array[] = [];
  const images: number[] = [];
  const all = Int32Array.from({ length: set.count }, (_, i) => i);
  // Batch norms folded into the convolutions, as the queue's workers run the teacher.
  const inference = new InferenceModel(model);
  try {
    for await (const batch of set.read(all, { batchSize: LABEL_BATCH_SIZE, skipBadImages: true })) {
      for (const bad of batch.skipped) log(`Skipped image "${bad.file}": ${bad.reason}`);
      if (batch.indices.length === 0) continue;
      const probabilities = tf.tidy(() => {
        const rows: ImageSet = { shape: [h, w, c], pixels: batch.pixels, labels: new Int32Array(batch.indices.length), classNames: set.classNames };
        const x = imageBatch(rows, Array.from(batch.indices, (_, i) => i));
        return tf.softmax(inference.predict(normalize(x, normalization)) as tf.Tensor2D);
      });
      chunks.push((await probabilities.data()) as Float32Array);
      probabilities.dispose();
      images.push(...batch.indices);
    }
  } finally {
    inference.dispose();
  }
  const probabilities = new Float32Array(chunks.reduce((n, chunk) => n + chunk.length, 0));
  chunks.reduce((at, chunk) => (probabilities.set(chunk, at), at + chunk.length), 0);
  return { scores: logRows(probabilities), images: Int32Array.from(images) };
}

function folderLabeller(frugal: Frugal, strategy: string): FolderLabeller {
  try {
    return frugal.resolve(FOLDER_LABELLER);
  } catch {
    throw new FrugalInputError(
      `${strategy}: strategy.params.queue labels through a job queue, and no loaded plugin provides one; ` +
        'load @frugal/distributed (the frugal command loads it), or remove queue to label in this process',
    );
  }
}

/**
 * Makes a saved generation a run directory a queue's workers load as the teacher: its model card
 * (classes, normalization and how the images are decoded) beside the weights.
 */
async function teacherRunDir(ctx: StrategyContext, set: StreamedImageSet, modelName: string, dir: string): Promise<void> {
  if (!ctx.runDir) {
    throw new FrugalInputError(
      'strategy.params.queue: the workers load each teacher from the run directory, and this run has none; run the recipe with a run directory (frugal train writes one)',
    );
  }
  await writeModelCard(join(dir, 'model'), { ...modelCardFields(modelName, ctx.data), inputShape: [...set.shape] });
}

/**
 * The teacher saved in `teacherDir` (a generation's folder) labels the streamed folder through
 * the job queue at `queue` (the workers of `frugal worker`); the pseudo-label file goes to
 * `outFile`. The same predictions as `predictStreamed` gives in this process.
 */
export async function predictOnQueue(
  ctx: StrategyContext,
  set: StreamedImageSet,
  teacher: { model: string; dir: string },
  queue: string,
  outFile: string,
  strategy: string,
): Promise<TeacherPredictions> {
  const labeller = folderLabeller(ctx.frugal, strategy);
  await teacherRunDir(ctx, set, teacher.model, teacher.dir);
  const labels = await labeller.label({ teacherDir: teacher.dir, dir: set.dir, queue, outFile, batchSize: LABEL_BATCH_SIZE, log: ctx.log });
  return onImages(set, labels, (file) => `The queue labelled "${file}", which is not in ${set.dir}; the folder changed during the run`);
}

/** Labels of a folder's files as rows of the streamed set; `missing` says why a file that is not in it is refused. */
function onImages(set: StreamedImageSet, labels: FolderLabels, missing: (file: string) => string): TeacherPredictions {
  const index = new Map<string, number>();
  for (let i = 0; i < set.count; i++) index.set(set.file(i), i);
  const images = Int32Array.from(labels.files, (file) => {
    const i = index.get(file);
    if (i === undefined) throw new FrugalInputError(missing(file));
    return i;
  });
  return { scores: logRows(labels.probabilities), images };
}

/**
 * The pseudo-labels of a file `frugal label` wrote for the streamed folder, as a teacher's
 * predictions: each line's image found in the folder, its classes checked against this run's.
 */
export async function predictionsFromFile(set: StreamedImageSet, file: string, classNames: readonly string[], strategy: string): Promise<TeacherPredictions> {
  const labels = await readPseudoLabelFile(file, classNames);
  return onImages(
    set,
    labels,
    (image) => `${strategy}: strategy.params.teacherLabels ${file} labels "${image}", which is not in the unlabelled folder ${set.dir}; label that folder (frugal label --unlabelled ${set.dir})`,
  );
}
