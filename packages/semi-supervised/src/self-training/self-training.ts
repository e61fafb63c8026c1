import {
  BatchSource,
  FrugalInputError,
  batchAccuracy,
  classifierLoss,
  evaluate,
  forwardTraining,
  metricsJsonl,
  predictLogits,
  softCrossEntropy,
  subset,
  trainLoop,
  writeFileAtomic,
  type Augmentation,
  type BuiltModel,
  type EpochSource,
  type EvaluationResult,
  type ImageSet,
  type StepInfo,
  type StrategyContext,
  type StrategyResult,
  type TrainingCallback,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MixedBatchSource, labelledRowsOf } from '../data/mixed-batch-source.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';
import { describeSelection, selectPseudoLabels, type PseudoLabelOptions, type PseudoLabelSelection } from '../pseudo-labels/select-pseudo-labels.js';
import { buildModel, copyWeights, parameterCount } from './build-model.js';
import { loadSavedWeights, saveModel } from './saved-weights.js';
import { checkResumable, generationDir, readState, writeState, type GenerationRecord } from './self-training-state.js';

/** A teacher → pseudo-labels → student loop: plain pseudo-labelling (one student) or Noisy Student. */
export interface SelfTrainingPlan {
  /** Strategy name; also the run directory's sub-folder. */
  readonly strategy: string;
  /** Model of every generation, teacher first: `models.length - 1` students. */
  readonly models: readonly string[];
  readonly pseudoLabels: PseudoLabelOptions;
  /** Pseudo-labelled images per labelled image in every student batch. */
  readonly unlabelledRatio: number;
  /** Weight of the pseudo-labelled part of the student's loss. */
  readonly unlabelledWeight: number;
  /** Epochs of the teacher (generation 0); default: the recipe's `train.epochs`. */
  readonly teacherEpochs?: number;
  /** Student steps per epoch; default: one pass over the larger of labelled and pseudo-labelled. */
  readonly stepsPerEpoch?: number;
  /** `fresh`: every student starts from its own initialisation; `teacher`: from the teacher's weights. */
  readonly studentInit: 'fresh' | 'teacher';
  /** Input noise added after the recipe's augmentations (students; the teacher too when `teacherNoise`). */
  readonly noiseAugment: readonly Augmentation[];
  /** Model noise parameters (dropout, stochastic depth) for a generation's model. */
  readonly noiseParams: (model: string) => Record<string, unknown>;
  readonly teacherNoise: boolean;
}

type Metrics = { accuracy: number; loss: number; count: number };

function brief(e: EvaluationResult | undefined): Metrics | undefined {
  return e ? { accuracy: e.accuracy, loss: e.loss, count: e.count } : undefined;
}

function requireUnlabelled(ctx: StrategyContext, strategy: string): ImageSet {
  const unlabelled = ctx.data.unlabelled;
  if (!unlabelled || unlabelled.labels.length === 0) {
    throw new FrugalInputError(
      `Strategy "${strategy}" learns from unlabelled images, and this run has none. Set data.labelledPerClass ` +
        `(or data.labelledFraction) so that the rest of the training set becomes unlabelled, or use a dataset that has unlabelled images.`,
    );
  }
  return unlabelled;
}

/** The student's loss: mean CE of the labelled rows + weight × mean CE of the pseudo-labelled rows. */
function studentLoss(built: BuiltModel, forward: ReturnType<typeof forwardTraining>, labelledRows: number, weight: number, info: StepInfo): tf.Scalar {
  const { logits, targets, aux } = forward;
  const n = logits.shape[0];
  const ce = rowCrossEntropy(logits, targets);
  const labelled = tf.mean(rows(ce, 0, labelledRows)) as tf.Scalar;
  const pseudo = tf.mean(rows(ce, labelledRows, n - labelledRows)) as tf.Scalar;
  let loss = tf.add(labelled, tf.mul(pseudo, weight)) as tf.Scalar;
  aux.forEach((a, i) => {
    loss = tf.add(loss, tf.mul(softCrossEntropy(a, targets), built.auxLossWeights?.[i] ?? 0.3));
  });
  info.track('accuracy', batchAccuracy(rows(logits, 0, labelledRows), rows(targets, 0, labelledRows)));
  info.track('pseudoLoss', pseudo);
  return loss;
}

/**
 * Runs the generations of a self-training plan. Generation 0 (the teacher) trains on the labelled
 * images; each later generation is pseudo-labelled by the one before and trains a student on the
 * labelled plus pseudo-labelled images. With a run directory, generation g keeps its model,
 * checkpoints, metrics and summary under `<runDir>/<strategy>/generation-g/`, and `state.json` (written
 * atomically after each generation) says which are done, so an interrupted run resumes at the
 * generation and the epoch where it stopped.
 */
export async function runSelfTraining(ctx: StrategyContext, plan: SelfTrainingPlan): Promise<StrategyResult> {
  const { data, frugal } = ctx;
  const unlabelled = requireUnlabelled(ctx, plan.strategy);
  const numClasses = data.classNames.length;
  const dir = ctx.runDir ? join(ctx.runDir, plan.strategy) : undefined;
  const completed: GenerationRecord[] = [];

  if (dir) {
    const saved = ctx.resume ? await readState(dir) : undefined;
    if (saved) {
      checkResumable(saved, plan.strategy, plan.models, dir);
      completed.push(...saved.completed);
    } else if (!ctx.resume) {
      await rm(dir, { recursive: true, force: true });
    }
    await writeState(dir, { format: 'frugal-self-training/1', strategy: plan.strategy, models: plan.models, completed });
  }

  const paramsOf = (g: number): Record<string, unknown> => {
    const noisy = g > 0 || plan.teacherNoise;
    return { ...ctx.model.params, ...(noisy ? plan.noiseParams(plan.models[g] as string) : {}) };
  };
  const build = (g: number): BuiltModel =>
    buildModel(frugal, plan.models[g] as string, paramsOf(g), data, ctx.rng.child(`generation-${g}`).child('init'));
  const sameBuild = (a: number, b: number): boolean =>
    plan.models[a] === plan.models[b] && JSON.stringify(paramsOf(a)) === JSON.stringify(paramsOf(b));

  let teacher: BuiltModel | undefined;
  let evaluation: EvaluationResult | undefined;
  if (completed.length > 0 && dir) {
    const g = completed.length - 1;
    teacher = build(g);
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
      const rng = ctx.rng.child(`generation-${g}`);
      const built = build(g);
      try {
        const noisy = g > 0 || plan.teacherNoise;
        const augment = noisy ? [...ctx.augment, ...plan.noiseAugment] : ctx.augment;
        let source: EpochSource;
        let selection: PseudoLabelSelection | undefined;
        if (!teacher) {
          source = new BatchSource(data.labelled, {
            batchSize: ctx.train.batchSize,
            shuffle: { rng: rng.child('shuffle') },
            numClasses,
            labelSmoothing: ctx.train.labelSmoothing,
          });
        } else {
          if (parameterCount(built) < parameterCount(teacher)) {
            ctx.log(
              `${plan.strategy}: the student of generation ${g} (${plan.models[g]}, ${parameterCount(built)} parameters) is smaller than ` +
                `its teacher (${plan.models[g - 1]}, ${parameterCount(teacher)}); Noisy Student works best with an equal or larger student`,
            );
          }
          if (plan.studentInit === 'teacher') copyWeights(teacher, built, { sameBuild: sameBuild(g - 1, g), what: `${plan.strategy} generation ${g}` });
          const logits = predictLogits(teacher.model, unlabelled, { normalization: data.normalization });
          selection = selectPseudoLabels(logits, numClasses, plan.pseudoLabels);
          ctx.log(`${plan.strategy} generation ${g}: ${describeSelection(selection.stats)}`);
          if (selection.indices.length === 0) {
            throw new FrugalInputError(
              `${plan.strategy}: no unlabelled image reached confidenceThreshold ${plan.pseudoLabels.confidenceThreshold} ` +
                `under the teacher of generation ${g - 1}; lower the threshold or train the teacher longer (teacherEpochs).`,
            );
          }
          source = new MixedBatchSource(data.labelled, subset(unlabelled, selection.indices), {
            labelledBatchSize: ctx.train.batchSize,
            unlabelledBatchSize: Math.max(1, Math.round(plan.unlabelledRatio * ctx.train.batchSize)),
            numClasses,
            rng: rng.child('shuffle'),
            unlabelledTargets: selection.targets,
            stepsPerEpoch: plan.stepsPerEpoch,
            labelSmoothing: ctx.train.labelSmoothing,
          });
        }
        const gdir = dir ? generationDir(dir, g) : undefined;
        const callbacks: TrainingCallback[] = [...ctx.callbacks];
        if (gdir) callbacks.push(metricsJsonl(join(gdir, 'metrics.jsonl'), { tag: { generation: g } }));
        const config = !teacher && plan.teacherEpochs ? { ...ctx.train, epochs: plan.teacherEpochs } : ctx.train;
        ctx.log(`${plan.strategy} generation ${g}: training ${plan.models[g]} (${g === 0 ? 'teacher, labelled images' : 'student'})`);
        const validation = data.validation;
        const run = await trainLoop({
          model: built.trainingModel ?? built.model,
          data: source,
          config,
          rng: rng.child('steps'),
          callbacks,
          checkpointDir: gdir ? join(gdir, 'checkpoints') : undefined,
          resume: ctx.resume && g === resumeAt,
          signal: ctx.signal,
          log: ctx.log,
          loss: (batch, info) => {
            const forward = forwardTraining(built, batch, info, augment, data.normalization);
            return teacher ? studentLoss(built, forward, labelledRowsOf(batch), plan.unlabelledWeight, info) : classifierLoss(built, forward, info);
          },
          validate: validation
            ? () => {
                const r = evaluate(built.model, validation, { normalization: data.normalization });
                return { valLoss: r.loss, valAccuracy: r.accuracy };
              }
            : undefined,
        });
        const test = data.test ? evaluate(built.model, data.test, { normalization: data.normalization }) : undefined;
        const val = validation ? evaluate(built.model, validation, { normalization: data.normalization }) : undefined;
        evaluation = test ?? val;
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
        ctx.log(
          `${plan.strategy} generation ${g} done in ${record.seconds.toFixed(1)} s` +
            (test ? `: test accuracy ${(test.accuracy * 100).toFixed(2)}%` : val ? `: validation accuracy ${(val.accuracy * 100).toFixed(2)}%` : ''),
        );
        if (dir && gdir) {
          await saveModel(built, join(gdir, 'model'));
          await writeFileAtomic(join(gdir, 'summary.json'), `${JSON.stringify(record, null, 2)}\n`);
          completed.push(record);
          await writeState(dir, { format: 'frugal-self-training/1', strategy: plan.strategy, models: plan.models, completed });
        } else {
          completed.push(record);
        }
      } catch (error) {
        built.model.dispose();
        throw error;
      }
      teacher?.model.dispose();
      teacher = built;
    }
  } catch (error) {
    teacher?.model.dispose();
    throw error;
  }

  const final = teacher as BuiltModel;
  if (!evaluation) {
    // Every generation was already done: evaluate the loaded last one.
    evaluation = data.test
      ? evaluate(final.model, data.test, { normalization: data.normalization })
      : data.validation
        ? evaluate(final.model, data.validation, { normalization: data.normalization })
        : undefined;
  }
  return { model: final, evaluation, details: { strategy: plan.strategy, generations: completed } };
}
