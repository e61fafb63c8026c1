import {
  FrugalInputError,
  modelCardFields,
  releaseModel,
  saveModel,
  trainConfigSchema,
  trainSupervised,
  type EvaluationResult,
  type StrategyContext,
  type TrainConfig,
} from '@frugal/core';
import { checkInputShape, decodingNote, loadModelSource, normalizationNote, type LoadedModel } from '@frugal/transfer';
import { join } from 'node:path';
import type { TeacherSpec } from '../params.js';
import { ensembleTeacher } from './ensemble.js';

export interface Teacher {
  readonly loaded: LoadedModel;
  /** Test-set (else validation) evaluation of a teacher trained here. */
  readonly evaluation?: EvaluationResult;
  /** An ensemble's networks, which hold its weights. */
  readonly members?: readonly LoadedModel[];
}

/** Frees a loaded network's weights. */
function releaseLoaded(loaded: LoadedModel): void {
  if (loaded.built) releaseModel(loaded.built);
  else loaded.model.dispose();
}

/** Frees a teacher's weights (an ensemble's: its members'). */
export function releaseTeacher(teacher: Teacher): void {
  (teacher.members ?? [teacher.loaded]).forEach(releaseLoaded);
}

/** `loaded` when `check` passes; freed when it throws. */
function checked(loaded: LoadedModel, check: () => void): LoadedModel {
  try {
    check();
    return loaded;
  } catch (error) {
    releaseLoaded(loaded);
    throw error;
  }
}

function mergeTrain(base: TrainConfig, override: Record<string, unknown>): TrainConfig {
  const nested = (key: 'optimizer' | 'schedule') => ({ ...base[key], ...(override[key] as object | undefined) });
  return trainConfigSchema.parse({ ...base, ...override, optimizer: nested('optimizer'), schedule: nested('schedule') });
}

/** Trains the teacher on the labelled images (the supervised strategy) and saves it under the run. */
async function trainTeacher(ctx: StrategyContext, spec: Extract<TeacherSpec, { type: 'train' }>): Promise<Teacher> {
  const runDir = ctx.runDir ? join(ctx.runDir, 'teacher') : undefined;
  ctx.log(`Training the teacher ${spec.model.name} on ${ctx.data.labelled.labels.length} labelled images`);
  const result = await trainSupervised({
    ...ctx,
    model: spec.model,
    rng: ctx.rng.child('teacher'),
    train: mergeTrain(ctx.train, spec.train),
    callbacks: ctx.callbacks.filter((c) => c.name === 'progress-bar'),
    runDir,
  });
  if (runDir) {
    await saveModel(result.model.model, join(runDir, 'model'), modelCardFields(spec.model.name, ctx.data));
  }
  if (result.evaluation) ctx.log(`Teacher accuracy on the test set: ${(result.evaluation.accuracy * 100).toFixed(2)}%`);
  return {
    loaded: {
      model: result.model.model,
      built: result.model,
      normalization: ctx.data.normalization,
      classNames: ctx.data.classNames,
      description: `${spec.model.name} trained on the labelled images`,
    },
    evaluation: result.evaluation,
  };
}

type SavedTeacher = Extract<TeacherSpec, { type: 'saved-model' | 'checkpoint' }>;

/** A saved network, or a checkpoint of a registry model, checked against the data. */
async function loadTeacher(ctx: StrategyContext, spec: SavedTeacher): Promise<LoadedModel> {
  const { data } = ctx;
  const numClasses = data.classNames.length;
  const loaded = await loadModelSource(spec.type === 'checkpoint' ? { ...spec, numClasses } : spec, {
    frugal: ctx.frugal,
    models: ctx.models,
    model: ctx.model,
    numClasses,
    inputShape: data.labelled.shape,
  });
  return checked(loaded, () => checkTeacher(loaded, ctx));
}

/** Loads or trains the teacher and checks that it fits the data. */
export async function resolveTeacher(ctx: StrategyContext, spec: TeacherSpec): Promise<Teacher> {
  switch (spec.type) {
    case 'train': {
      const teacher = await trainTeacher(ctx, spec);
      checked(teacher.loaded, () => checkTeacher(teacher.loaded, ctx));
      return teacher;
    }
    case 'ensemble': {
      const members: LoadedModel[] = [];
      try {
        for (const member of spec.members) members.push(await loadTeacher(ctx, member));
        return { loaded: ensembleTeacher(members), members };
      } catch (error) {
        members.forEach(releaseLoaded);
        throw error;
      }
    }
    default:
      return { loaded: await loadTeacher(ctx, spec) };
  }
}

/** The teacher must take the data's images and predict the data's classes. */
export function checkTeacher(loaded: LoadedModel, ctx: StrategyContext): void {
  const { data } = ctx;
  checkInputShape(loaded, data.labelled.shape, 'teacher');
  const outputs = loaded.model.outputs[0]?.shape[1];
  if (outputs !== data.classNames.length) {
    throw new FrugalInputError(
      `The teacher (${loaded.description}) predicts ${outputs} classes; the data has ${data.classNames.length} (${data.classNames.join(', ')}). ` +
        `Distil from a teacher trained (or fine-tuned with the transfer strategy) on these classes.`,
    );
  }
  if (loaded.classNames && loaded.classNames.join('\n') !== data.classNames.join('\n')) {
    ctx.log(`The teacher's classes (${loaded.classNames.join(', ')}) are named differently from the data's (${data.classNames.join(', ')}); they are matched by position.`);
  }
  if (!loaded.normalization) {
    const note = normalizationNote(loaded, data.normalization, 'teacher');
    if (note) ctx.log(note);
  }
  const note = decodingNote(loaded, data.decode, 'teacher');
  if (note) ctx.log(note);
}
