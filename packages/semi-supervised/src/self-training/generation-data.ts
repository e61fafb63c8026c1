import {
  FrugalInputError,
  isStreamed,
  predictLogits,
  streamedSubset,
  subset,
  type BuiltModel,
  type EpochSource,
  type ImageSet,
  type Rng,
  type StrategyContext,
  type StreamedImageSet,
} from '@frugal/core';
import { join } from 'node:path';
import { MixedBatchSource } from '../data/mixed-batch-source.js';
import { smoothOverPixels } from '../pseudo-labels/graph-smoothing.js';
import { describeSelection, selectPseudoLabels, type PseudoLabelSelection } from '../pseudo-labels/select-pseudo-labels.js';
import type { SelfTrainingPlan } from './self-training-plan.js';
import { predictionsFromFile, predictOnQueue, predictStreamed, type TeacherPredictions } from './teacher-predictions.js';

/** Where a student's teacher was saved, and where the student's generation goes (with a run directory). */
export interface GenerationFolders {
  /** The teacher's generation folder (its `model/` is saved there). */
  readonly teacherDir?: string;
  /** The student's generation folder. */
  readonly dir?: string;
}

/**
 * The teacher's pseudo-label selection on the unlabelled images, and the images it selected: in
 * memory, a subset; streamed (a folder), a streamed subset, labelled here or, with the plan's
 * `queue`, by a job queue's workers.
 */
async function pseudoLabelled(
  ctx: StrategyContext,
  plan: SelfTrainingPlan,
  teacher: BuiltModel,
  unlabelled: ImageSet | StreamedImageSet,
  g: number,
  folders: GenerationFolders,
  given: TeacherPredictions | undefined,
): Promise<{ selection: PseudoLabelSelection; images: ImageSet | StreamedImageSet }> {
  const { data } = ctx;
  const numClasses = data.classNames.length;
  if (plan.graphSmoothing && isStreamed(unlabelled)) {
    throw new FrugalInputError(
      `${plan.strategy}: strategy.params.graphSmoothing finds each image's neighbours among all the unlabelled images, so it needs them in memory, ` +
        `and these are read from ${unlabelled.dir} as training goes; remove graphSmoothing, or give the images as a dataset held in memory`,
    );
  }
  if (!isStreamed(unlabelled)) {
    if (plan.queue) {
      throw new FrugalInputError(
        `${plan.strategy}: strategy.params.queue labels an unlabelled folder on a queue's workers, and this run's unlabelled images are in memory ` +
          '(a split of the training set, or an IDX dataset); give the images as an image-folder dataset\'s unlabelledDir, or remove queue',
      );
    }
    const predicted = predictLogits(teacher.model, unlabelled, { normalization: data.normalization });
    let logits = predicted;
    if (plan.graphSmoothing) {
      const { neighbours, dimensions } = plan.graphSmoothing;
      ctx.log(`${plan.strategy} generation ${g}: the teacher's predictions smoothed over the ${neighbours} nearest neighbours of each image by ${dimensions} principal components of the pixels`);
      // Seeded by the run, not the generation: every generation smooths over the same graph, built once.
      logits = smoothOverPixels(data.labelled, unlabelled, predicted, numClasses, plan.graphSmoothing, ctx.rng.child('graph-smoothing'));
    }
    const selection = selectPseudoLabels(logits, numClasses, plan.pseudoLabels);
    return { selection, images: subset(unlabelled, selection.indices) };
  }
  let predictions;
  if (given && g === 1) {
    ctx.log(`${plan.strategy} generation ${g}: the pseudo-labels of ${plan.teacherLabels} for ${unlabelled.dir}, not the teacher's`);
    predictions = given;
  } else if (plan.queue) {
    if (!folders.teacherDir || !folders.dir) {
      throw new FrugalInputError(`${plan.strategy}: strategy.params.queue needs a run directory, where the workers load each teacher from; run the recipe with one`);
    }
    ctx.log(`${plan.strategy} generation ${g}: the teacher labels ${unlabelled.count} images of ${unlabelled.dir} on the queue ${plan.queue}`);
    const teacherModel = { model: plan.models[g - 1] as string, dir: folders.teacherDir };
    predictions = await predictOnQueue(ctx, unlabelled, teacherModel, plan.queue, join(folders.dir, 'pseudo-labels.jsonl'), plan.strategy);
  } else {
    predictions = await predictStreamed(teacher.model, unlabelled, data.normalization, ctx.log);
  }
  const selection = selectPseudoLabels(predictions.scores, numClasses, plan.pseudoLabels);
  const images = Int32Array.from(selection.indices, (row) => predictions.images[row] as number);
  return { selection, images: streamedSubset(unlabelled, images) };
}

/**
 * The plan's `teacherLabels` file as the first student's pseudo-labels, read (and checked against
 * the unlabelled folder and the run's classes) before any generation trains.
 */
export async function givenTeacherLabels(ctx: StrategyContext, plan: SelfTrainingPlan, unlabelled: ImageSet | StreamedImageSet): Promise<TeacherPredictions | undefined> {
  if (!plan.teacherLabels) return undefined;
  if (!isStreamed(unlabelled)) {
    throw new FrugalInputError(
      `${plan.strategy}: strategy.params.teacherLabels gives the labels of an unlabelled folder, and this run's unlabelled images are in memory ` +
        "(a split of the training set, or an IDX dataset); give the folder frugal label labelled as an image-folder dataset's unlabelledDir, or remove teacherLabels",
    );
  }
  const given = await predictionsFromFile(unlabelled, plan.teacherLabels, ctx.data.classNames, plan.strategy);
  ctx.log(`${plan.strategy}: ${plan.teacherLabels} labels ${given.images.length} of the ${unlabelled.count} images of ${unlabelled.dir}`);
  return given;
}

/**
 * A student generation's data: the teacher's pseudo-labels for the unlabelled images, mixed into
 * every batch with the labelled images (`unlabelledRatio` pseudo-labelled per labelled image).
 */
export async function studentData(
  ctx: StrategyContext,
  plan: SelfTrainingPlan,
  teacher: BuiltModel,
  unlabelled: ImageSet | StreamedImageSet,
  g: number,
  rng: Rng,
  folders: GenerationFolders = {},
  given?: TeacherPredictions,
): Promise<{ source: EpochSource; selection: PseudoLabelSelection }> {
  const { data } = ctx;
  const numClasses = data.classNames.length;
  const { selection, images } = await pseudoLabelled(ctx, plan, teacher, unlabelled, g, folders, given);
  ctx.log(`${plan.strategy} generation ${g}: ${describeSelection(selection.stats)}`);
  if (selection.indices.length === 0) {
    throw new FrugalInputError(
      `${plan.strategy}: no unlabelled image reached confidenceThreshold ${plan.pseudoLabels.confidenceThreshold} ` +
        `under the teacher of generation ${g - 1}; lower the threshold or train the teacher longer (teacherEpochs).`,
    );
  }
  const source = new MixedBatchSource(data.labelled, images, {
    labelledBatchSize: ctx.train.batchSize,
    unlabelledBatchSize: Math.max(1, Math.round(plan.unlabelledRatio * ctx.train.batchSize)),
    numClasses,
    rng: rng.child('shuffle'),
    unlabelledTargets: selection.targets,
    stepsPerEpoch: plan.stepsPerEpoch,
    labelSmoothing: ctx.train.labelSmoothing,
    balanceClasses: ctx.train.balanceClasses,
  });
  return { source, selection };
}
