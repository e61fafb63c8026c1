import {
  FrugalInputError,
  buildModel,
  evaluate,
  finalEvaluation,
  metricsJsonl,
  requireUnlabelledSource,
  runTraining,
  trainSupervised,
  writeFileAtomic,
  type BuiltModel,
  type EvaluationResult,
  type ImageSet,
  type StreamedImageSet,
  type StrategyContext,
  type StrategyResult,
  type TrainLoopResult,
  releaseModel,
} from '@frugal/core';
import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { PseudoLabelSelection } from '../pseudo-labels/select-pseudo-labels.js';
import { copyWeights, parameterCount } from './build-model.js';
import { givenTeacherLabels, studentData } from './generation-data.js';
import type { TeacherPredictions } from './teacher-predictions.js';
import { loadSavedWeights, saveWeights } from './saved-weights.js';
import { checkResumable, generationDir, readState, writeState, type GenerationRecord } from './self-training-state.js';
import type { SelfTrainingPlan } from './self-training-plan.js';
import { studentLoss } from './student-loss.js';

export type { SelfTrainingPlan } from './self-training-plan.js';

type Metrics = { accuracy: number; loss: number; count: number };

function brief(e: EvaluationResult | undefined): Metrics | undefined {
  return e ? { accuracy: e.accuracy, loss: e.loss, count: e.count } : undefined;
}

/** The generations already done (on resume), after checking that they belong to this plan; a fresh run clears the folder. */
async function startRunDir(ctx: StrategyContext, plan: SelfTrainingPlan, dir: string): Promise<GenerationRecord[]> {
  const completed: GenerationRecord[] = [];
  const saved = ctx.resume ? await readState(dir) : undefined;
  if (saved) {
    checkResumable(saved, plan.strategy, plan.models, dir);
    completed.push(...saved.completed);
  } else if (!ctx.resume) {
    await rm(dir, { recursive: true, force: true });
  }
  await writeState(dir, { format: 'frugal-self-training/1', strategy: plan.strategy, models: plan.models, completed });
  return completed;
}

/** How the generations' models are built: noise parameters on noisy generations, weights from each generation's own stream. */
function generationModels(ctx: StrategyContext, plan: SelfTrainingPlan) {
  const noisy = (g: number): boolean => g > 0 || plan.teacherNoise;
  const paramsOf = (g: number): Record<string, unknown> => ({ ...ctx.model.params, ...(noisy(g) ? plan.noiseParams(plan.models[g] as string) : {}) });
  return {
    noisy,
    build: (g: number): BuiltModel =>
      buildModel(ctx, { name: plan.models[g] as string, params: paramsOf(g) }, { rng: ctx.rng.child(`generation-${g}`).child('init') }),
    sameBuild: (a: number, b: number): boolean => plan.models[a] === plan.models[b] && JSON.stringify(paramsOf(a)) === JSON.stringify(paramsOf(b)),
  };
}

interface Generation {
  readonly g: number;
  readonly built: BuiltModel;
  readonly teacher?: BuiltModel;
  readonly unlabelled: ImageSet | StreamedImageSet;
  readonly dir?: string;
  readonly resume: boolean;
  /** The first student's pseudo-labels from the plan's `teacherLabels` file. */
  readonly given?: TeacherPredictions;
}

/** Trains one generation: the teacher on the labelled images, or a student on labelled + pseudo-labelled ones. */
async function trainGeneration(
  ctx: StrategyContext,
  plan: SelfTrainingPlan,
  gen: Generation,
  noisy: boolean,
): Promise<{ run: TrainLoopResult; selection?: PseudoLabelSelection }> {
  const { g, built, teacher } = gen;
  const rng = ctx.rng.child(`generation-${g}`);
  const augment = noisy ? [...ctx.augment, ...plan.noiseAugment] : ctx.augment;
  const gdir = gen.dir ? generationDir(gen.dir, g) : undefined;
  const folder = gdir && ctx.runDir ? relative(ctx.runDir, gdir) : undefined;
  const callbacks = gdir ? [metricsJsonl(join(gdir, 'metrics.jsonl'), { tag: { generation: g } })] : [];
  const training = (role: string) => ctx.log(`${plan.strategy} generation ${g}: training ${plan.models[g]} (${role})`);
  if (!teacher && plan.teacherEpochs === 0) {
    ctx.log(`${plan.strategy} generation 0: the teacher is ${ctx.init?.path} as it is (teacherEpochs 0)`);
    return { run: { history: [], steps: 0 }, selection: undefined };
  }
  if (!teacher) {
    training('teacher, labelled images');
    const train = plan.teacherEpochs ? { epochs: plan.teacherEpochs } : undefined;
    const { run } = await trainSupervised(ctx, { model: built, augment, stream: rng, folder, train, callbacks, resume: gen.resume, evaluate: false });
    return { run, selection: undefined };
  }
  const folders = gen.dir ? { teacherDir: generationDir(gen.dir, g - 1), dir: generationDir(gen.dir, g) } : {};
  const { source, selection } = await studentData(ctx, plan, teacher, gen.unlabelled, g, rng, folders, gen.given);
  training('student');
  const loss = studentLoss(ctx, built, augment, plan.unlabelledWeight);
  const run = await runTraining(ctx, { model: built, data: source, loss, stream: rng, folder, callbacks, resume: gen.resume });
  return { run, selection };
}

/** Evaluates a trained generation, reports it, and (with a run directory) saves its model, summary and the loop's state. */
async function finishGeneration(
  ctx: StrategyContext,
  plan: SelfTrainingPlan,
  gen: Generation,
  trained: { run: TrainLoopResult; selection?: PseudoLabelSelection },
  started: number,
  completed: GenerationRecord[],
): Promise<EvaluationResult | undefined> {
  const { data } = ctx;
  const { g, built } = gen;
  const test = data.test ? evaluate(built.model, data.test, { normalization: data.normalization }) : undefined;
  const val = data.validation ? evaluate(built.model, data.validation, { normalization: data.normalization }) : undefined;
  const { run, selection } = trained;
  const record: GenerationRecord = {
    generation: g,
    model: plan.models[g] as string,
    parameters: parameterCount(built),
    steps: run.steps,
    seconds: (performance.now() - started) / 1000,
    pseudoLabels: selection?.stats,
    test: brief(test),
    validation: brief(val),
    final: run.history[run.history.length - 1],
    stopReason: run.stopReason,
  };
  const score = test ? `: test accuracy ${(test.accuracy * 100).toFixed(2)}%` : val ? `: validation accuracy ${(val.accuracy * 100).toFixed(2)}%` : '';
  ctx.log(`${plan.strategy} generation ${g} done in ${record.seconds.toFixed(1)} s${score}`);
  if (gen.dir) {
    const gdir = generationDir(gen.dir, g);
    await saveWeights(built, join(gdir, 'model'));
    await writeFileAtomic(join(gdir, 'summary.json'), `${JSON.stringify(record, null, 2)}\n`);
  }
  completed.push(record);
  if (gen.dir) await writeState(gen.dir, { format: 'frugal-self-training/1', strategy: plan.strategy, models: plan.models, completed });
  return test ?? val;
}

/** Warns when a student is smaller than its teacher, and starts it from the teacher's weights when the plan says so. */
function prepareStudent(plan: SelfTrainingPlan, g: number, built: BuiltModel, teacher: BuiltModel, sameBuild: boolean, log: (m: string) => void): void {
  if (parameterCount(built) < parameterCount(teacher)) {
    log(
      `${plan.strategy}: the student of generation ${g} (${plan.models[g]}, ${parameterCount(built)} parameters) is smaller than ` +
        `its teacher (${plan.models[g - 1]}, ${parameterCount(teacher)}); Noisy Student works best with an equal or larger student`,
    );
  }
  if (plan.studentInit === 'teacher') copyWeights(teacher, built, { sameBuild, what: `${plan.strategy} generation ${g}` });
}

/** With `teacherEpochs: 0` the teacher is the starting model, so the run must start from weights that fit it. */
function checkGivenTeacher(ctx: StrategyContext, plan: SelfTrainingPlan): void {
  if (plan.teacherEpochs !== 0) return;
  if (!ctx.init) {
    throw new FrugalInputError(
      `${plan.strategy}: teacherEpochs is 0, so the teacher is the model the run starts from, but the recipe has no model.init; ` +
        'give model.init (a trained model, e.g. a ladder rung that starts from the previous one) or train the teacher (teacherEpochs ≥ 1)',
    );
  }
  if (plan.models[0] !== ctx.model.name) {
    throw new FrugalInputError(
      `${plan.strategy}: teacherEpochs is 0, so the teacher is model.init (a ${ctx.model.name}), but the first of models is ${plan.models[0]}; ` +
        `list ${ctx.model.name} first`,
    );
  }
}

/**
 * Runs the generations of a self-training plan. Generation 0 (the teacher) trains on the labelled
 * images (or, with `teacherEpochs: 0`, is the starting model as it is); each later generation is
 * pseudo-labelled by the one before and trains a student on the labelled plus pseudo-labelled
 * images. With a run directory, generation g keeps its model,
 * checkpoints, metrics and summary under `<runDir>/<strategy>/generation-g/`, and `state.json` (written
 * atomically after each generation) says which are done, so an interrupted run resumes at the
 * generation and the epoch where it stopped.
 */
export async function runSelfTraining(ctx: StrategyContext, plan: SelfTrainingPlan): Promise<StrategyResult> {
  checkGivenTeacher(ctx, plan);
  const unlabelled = requireUnlabelledSource(ctx, plan.strategy);
  const dir = ctx.runDir ? join(ctx.runDir, plan.strategy) : undefined;
  const completed = dir ? await startRunDir(ctx, plan, dir) : [];
  // Read only while the first student is still to train: a run resumed past it needs the file no more.
  const given = completed.length <= 1 ? await givenTeacherLabels(ctx, plan, unlabelled) : undefined;
  const models = generationModels(ctx, plan);
  let teacher: BuiltModel | undefined;
  let evaluation: EvaluationResult | undefined;
  if (completed.length > 0 && dir) {
    const g = completed.length - 1;
    teacher = models.build(g);
    await loadSavedWeights(teacher, join(generationDir(dir, g), 'model'));
    ctx.log(
      completed.length === plan.models.length
        ? `${plan.strategy}: all ${plan.models.length} generations are done; loading the last one`
        : `${plan.strategy}: resuming at generation ${completed.length} (generations 0-${g} done)`,
    );
  }
  // Only the generation that was in progress when the run stopped has a checkpoint to resume from.
  const resumeAt = completed.length;
  try {
    for (let g = completed.length; g < plan.models.length; g++) {
      const started = performance.now();
      const built = models.build(g);
      try {
        if (teacher) prepareStudent(plan, g, built, teacher, models.sameBuild(g - 1, g), ctx.log);
        const gen: Generation = { g, built, teacher, unlabelled, dir, resume: Boolean(ctx.resume) && g === resumeAt, given };
        const trained = await trainGeneration(ctx, plan, gen, models.noisy(g));
        evaluation = await finishGeneration(ctx, plan, gen, trained, started, completed);
      } catch (error) {
        releaseModel(built);
        throw error;
      }
      if (teacher) releaseModel(teacher);
      teacher = built;
    }
  } catch (error) {
    if (teacher) releaseModel(teacher);
    throw error;
  }
  const final = teacher as BuiltModel;
  // Every generation was already done: evaluate the loaded last one.
  evaluation ??= finalEvaluation(ctx, final.model);
  return { model: final, evaluation, details: { strategy: plan.strategy, generations: completed } };
}
