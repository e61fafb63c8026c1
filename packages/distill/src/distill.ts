import {
  augmentBatch,
  batchAccuracy,
  buildModel,
  evaluate,
  FrugalInputError,
  normalize,
  releaseModel,
  runTraining,
  withAuxiliaryLosses,
  type BuiltModel,
  type StrategyContext,
  type StrategyResult,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { DistillBatches } from './data/distill-batches.js';
import { predictOutputs } from './data/teacher-outputs.js';
import { transferSet } from './data/transfer-set.js';
import { hintAdapter, hintLoss, layerOutput } from './loss/hint.js';
import { distillationLoss, labelledCrossEntropy, teacherAgreement } from './loss/kd-loss.js';
import type { DistillParams } from './params.js';
import { checkTeacher, releaseTeacher, resolveTeacher, type Teacher } from './teacher/teacher.js';

type Layer = LayersModel['layers'][number];

/** Whether the teacher's outputs are computed once (`cache`) or every step (`on-the-fly`). */
function teacherMode(ctx: StrategyContext, params: DistillParams): 'cache' | 'on-the-fly' {
  if (params.teacherLogits === 'auto') return ctx.augment.length === 0 ? 'cache' : 'on-the-fly';
  if (params.teacherLogits === 'cache') {
    const mixing = ctx.augment.filter((op) => op.applyBatch).map((op) => op.name);
    if (mixing.length) {
      throw new FrugalInputError(
        `teacherLogits: "cache" cannot follow ${mixing.join(', ')}: they mix images within a batch, so cached outputs of the ` +
          `original images would not match. Use teacherLogits: "on-the-fly" (or "auto").`,
      );
    }
    if (ctx.augment.length) ctx.log('teacherLogits: "cache": the teacher sees the un-augmented images; the student sees augmented ones.');
  }
  return params.teacherLogits;
}

/**
 * Knowledge distillation: a trained teacher, in inference mode and never updated, teaches the
 * recipe's model (the student) with its temperature-softened outputs on the transfer set (the
 * labelled images, plus unlabelled ones that get the distillation term only):
 * loss = α · T² · KL(softmax(t/T) ‖ softmax(s/T)) + (1 − α) · CE(s, y) [+ β · hint MSE].
 *
 * `teacher` may be given directly (an already loaded network, which stays the caller's to free);
 * otherwise `params.teacher` says where it comes from, and it is freed when the student is trained.
 */
export async function trainDistillation(ctx: StrategyContext, params: DistillParams, given?: Teacher): Promise<StrategyResult> {
  if (given) {
    checkTeacher(given.loaded, ctx);
    return distil(ctx, params, given);
  }
  const teacher = await resolveTeacher(ctx, params.teacher);
  try {
    return await distil(ctx, params, teacher);
  } finally {
    releaseTeacher(teacher);
  }
}

/** The student, trained on the teacher's outputs; the teacher stays the caller's. */
async function distil(ctx: StrategyContext, params: DistillParams, teacher: Teacher): Promise<StrategyResult> {
  const student = buildModel(ctx);
  let adapter: Layer | undefined;
  try {
    return await distilInto(student, ctx, params, teacher, (layer) => (adapter = layer));
  } catch (error) {
    releaseModel(student);
    throw error;
  } finally {
    adapter?.dispose();
  }
}

async function distilInto(
  student: BuiltModel,
  ctx: StrategyContext,
  params: DistillParams,
  teacher: Teacher,
  withAdapter: (adapter: Layer) => void,
): Promise<StrategyResult> {
  const { data, train } = ctx;
  const numClasses = data.classNames.length;
  const teacherNorm = teacher.loaded.normalization ?? data.normalization;
  const base = student.trainingModel ?? student.model;
  const auxCount = base.outputs.length - 1;
  let net: LayersModel = base;
  let teacherNet: LayersModel = teacher.loaded.model;
  if (params.hint) {
    const { studentLayer, teacherLayer } = params.hint;
    const studentFeatures = layerOutput(student.model, studentLayer, `student (${ctx.model.name})`);
    const teacherFeatures = layerOutput(teacher.loaded.model, teacherLayer, `teacher (${teacher.loaded.description})`);
    const adapter = hintAdapter(studentFeatures.shape, teacherFeatures.shape, ctx.rng.child('hint'), { student: studentLayer, teacher: teacherLayer });
    withAdapter(adapter);
    net = functionalModel({ inputs: base.inputs, outputs: [...base.outputs, adapter.apply(studentFeatures) as SymbolicTensor] });
    teacherNet = functionalModel({ inputs: teacher.loaded.model.inputs, outputs: [teacher.loaded.model.outputs[0] as SymbolicTensor, teacherFeatures] });
  }

  const set = transferSet(data.labelled, params.unlabelled ? data.unlabelled : undefined, {
    numClasses,
    labelSmoothing: train.labelSmoothing,
    limit: params.unlabelledLimit,
    rng: ctx.rng.child('unlabelled'),
  });
  const mode = teacherMode(ctx, params);
  let cache;
  if (mode === 'cache') {
    const started = performance.now();
    cache = predictOutputs(teacherNet, set.images, teacherNorm);
    ctx.log(`Cached the teacher's outputs for ${set.images.labels.length} images in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  ctx.log(
    `Distilling ${teacher.loaded.description} into ${ctx.model.name}: ${set.labelled} labelled + ${set.unlabelled} unlabelled images, ` +
      `T = ${params.temperature}, α = ${params.alpha}, teacher outputs ${mode === 'cache' ? 'cached' : 'on the fly'}` +
      (params.hint ? `, hint ${params.hint.studentLayer} -> ${params.hint.teacherLayer} (weight ${params.hint.weight})` : ''),
  );
  // Classes balance over labelled images only: an unlabelled image's class is unknown.
  const balanceClasses = train.balanceClasses && set.unlabelled === 0;
  if (train.balanceClasses && !balanceClasses) {
    ctx.log(`train.balanceClasses: the transfer set's ${set.unlabelled} unlabelled images have no class to balance, so its batches are drawn uniformly`);
  }
  const batches = new DistillBatches(set, { batchSize: train.batchSize, shuffle: { rng: ctx.rng.child('shuffle') }, numClasses, balanceClasses }, cache);
  const sameNorm = teacherNorm.mean.join() === data.normalization.mean.join() && teacherNorm.std.join() === data.normalization.std.join();
  const run = await runTraining(ctx, {
    model: student,
    network: net,
    data: batches,
    loss: (batch, info) => {
      const augmented = augmentBatch(ctx.augment, batch, info.rng.child('augment'));
      const x = normalize(augmented.x, data.normalization);
      const out = net.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      const [logits, ...rest] = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
      const teacherOut =
        batches.teacherOutputs(batch) ??
        (() => {
          const t = teacherNet.apply(sameNorm ? x : normalize(augmented.x, teacherNorm), { training: false }) as tf.Tensor | tf.Tensor[];
          return Array.isArray(t) ? t : [t];
        })();
      const teacherLogits = teacherOut[0] as tf.Tensor2D;
      const parts = distillationLoss(logits as tf.Tensor2D, teacherLogits, augmented.y, params);
      const auxLogits = rest.slice(0, auxCount);
      let loss = withAuxiliaryLosses(parts.loss, student, auxLogits, (a) => labelledCrossEntropy(a, augmented.y), 1 - params.alpha);
      if (params.hint) {
        const hint = hintLoss(rest[auxCount] as tf.Tensor, teacherOut[1] as tf.Tensor);
        info.track('hint', hint);
        loss = tf.add(loss, tf.mul(hint, params.hint.weight));
      }
      info.track('kd', parts.kd);
      info.track('ce', parts.ce);
      info.track('agreement', teacherAgreement(logits as tf.Tensor2D, teacherLogits));
      if (set.unlabelled === 0) info.track('accuracy', batchAccuracy(logits as tf.Tensor2D, augmented.y));
      return loss as tf.Scalar;
    },
  });

  const evaluation = data.test ? evaluate(student.model, data.test, { normalization: data.normalization }) : undefined;
  const teacherEvaluation =
    teacher.evaluation ?? (data.test ? evaluate(teacher.loaded.model, data.test, { normalization: teacherNorm }) : undefined);
  if (evaluation && teacherEvaluation) {
    ctx.log(`Test accuracy: teacher ${(teacherEvaluation.accuracy * 100).toFixed(2)}%, student ${(evaluation.accuracy * 100).toFixed(2)}%`);
  }
  return {
    model: student,
    evaluation,
    details: {
      teacher: teacher.loaded.description,
      teacherAccuracy: teacherEvaluation?.accuracy,
      transferSet: { labelled: set.labelled, unlabelled: set.unlabelled },
      teacherOutputs: mode === 'cache' ? 'cached' : 'on-the-fly',
      history: run.history,
      steps: run.steps,
      stopReason: run.stopReason,
    },
  };
}
