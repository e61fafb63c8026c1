import {
  augmentBatch,
  batchAccuracy,
  buildModel,
  finalEvaluation,
  normalize,
  requireUnlabelledSource,
  runTraining,
  softCrossEntropy,
  trainSupervised,
  withAuxiliaryLosses,
  type Batch,
  type BuiltModel,
  type Normalization,
  type StepInfo,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { consistencyParams, consistencyViews, unlabelledBatches, type ConsistencyViews } from './consistency-parts.js';
import { labelledRowsOf, type MixedBatch } from '../data/mixed-batch-source.js';
import { fixMatchTargets } from '../losses/fixmatch-loss.js';
import type { SelfAdaptiveThreshold } from '../losses/self-adaptive-threshold.js';
import { selfAdaptiveFairness } from '../losses/self-adaptive-fairness.js';
import { EmaTeacher } from '../losses/ema-teacher.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';

export const fixMatchParams = z.strictObject({
  ...consistencyParams,
  /**
   * Which network predicts the weak views' pseudo-labels: `live` (the paper), the model being
   * trained, in training mode; `ema`, an exponential moving average of its weights (decay
   * `teacherDecay`), in inference mode, which changes slowly and averages out the steps' noise.
   */
  pseudoLabelModel: z.enum(['live', 'ema']).default('live'),
  /** Decay of the `ema` pseudo-labelling teacher's weight average, per step. */
  teacherDecay: z.number().min(0).lt(1).default(0.999),
  /**
   * Epochs of supervised training on the labelled images (the recipe's augmentation, batch size and
   * optimiser) before FixMatch starts, so that the first pseudo-labels come from a model that already
   * knows something; 0: FixMatch from the initial weights, as in the paper. With a strong recipe
   * augmentation for this warm-up, set `weakAugment` for FixMatch's weak view.
   */
  supervisedEpochs: z.number().int().min(0).default(0),
  /**
   * λ_f: weight of FreeMatch's self-adaptive fairness loss, which moves the confident strong views'
   * mean prediction towards the classes the model's moving averages hold least of (0: off; FreeMatch
   * uses 0.001–0.01). It reads the self-adaptive threshold's estimates, so it needs
   * `confidenceThreshold: self-adaptive`.
   */
  fairnessWeight: z.number().min(0).default(0),
}).refine((p) => p.fairnessWeight === 0 || p.confidenceThreshold === 'self-adaptive', {
  message: "the fairness loss reads the self-adaptive thresholds' estimates: set confidenceThreshold to self-adaptive, or fairnessWeight to 0",
  path: ['fairnessWeight'],
});

export type FixMatchParams = z.input<typeof fixMatchParams>;
type Params = z.output<typeof fixMatchParams>;

interface Views extends ConsistencyViews {
  /** Present with `pseudoLabelModel: 'ema'`. */
  readonly teacher?: EmaTeacher;
}

/** The trained model's logits in training mode (the paper's pseudo-labels). */
function liveLogits(built: BuiltModel, x: tf.Tensor4D): tf.Tensor2D {
  const out = (built.trainingModel ?? built.model).apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  return Array.isArray(out) ? (out[0] as tf.Tensor2D) : out;
}

/**
 * Before the gradient tape: the weak views of the labelled and unlabelled images, the unlabelled
 * images' pseudo-labels from a forward pass on their weak views (no backward pass needed), and their
 * strong views. The batch it returns holds the labelled weak views, then the strong views, with the
 * pseudo-labels (weighted by the gate; zero rows for images left out) as their targets.
 */
function fixMatchBatch(built: BuiltModel, batch: Batch, info: StepInfo, views: Views, norm: Normalization): MixedBatch {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const labelled = augmentBatch(views.labelled, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelled = { x: rows(batch.x, nl, nu), y: rows(batch.y, nl, nu) };
  const weak = augmentBatch(views.weak, unlabelled, info.rng.child('weak'));
  const rawLogits = views.teacher ? views.teacher.predict(normalize(weak.x, norm)) : liveLogits(built, normalize(weak.x, norm));
  // Aligned probabilities as logits: their softmax gives them back.
  const weakLogits = views.align ? tf.log(views.align.align(tf.softmax(rawLogits))) : rawLogits;
  const threshold = views.gate.update(tf.softmax(weakLogits) as tf.Tensor2D);
  if (threshold !== undefined) info.track('threshold', threshold);
  const { targets, maskRate } = fixMatchTargets(weakLogits as tf.Tensor2D, views.gate);
  info.track('maskRate', maskRate);
  const strong = augmentBatch(views.strong, unlabelled, info.rng.child('strong'));
  return { x: tf.concat([labelled.x, strong.x]), y: tf.concat([labelled.y, targets]), labelledRows: nl };
}

/**
 * Supervised CE on the labelled rows + λ_u · mean CE of the strong views against their pseudo-labels
 * (+ λ_f · FreeMatch's fairness loss over the strong views that passed their threshold).
 */
function fixMatchLoss(built: BuiltModel, batch: Batch, info: StepInfo, norm: Normalization, p: Params, adaptive?: SelfAdaptiveThreshold): tf.Scalar {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const net = built.trainingModel ?? built.model;
  const out = net.apply(normalize(batch.x, norm), { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  const [logits, ...aux] = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
  const labelledLogits = rows(logits as tf.Tensor2D, 0, nl);
  const labelledY = rows(batch.y, 0, nl);
  const supervised = softCrossEntropy(labelledLogits, labelledY);
  const strongLogits = rows(logits as tf.Tensor2D, nl, nu);
  const pseudoLabels = rows(batch.y, nl, nu);
  const consistency = tf.mean(rowCrossEntropy(strongLogits, pseudoLabels)) as tf.Scalar;
  let combined = tf.add(supervised, tf.mul(consistency, p.unlabelledWeight)) as tf.Scalar;
  if (p.fairnessWeight > 0 && adaptive) {
    // Masked-out images carry zero rows as targets.
    const mask = tf.sum(pseudoLabels, -1) as tf.Tensor1D;
    const fairness = selfAdaptiveFairness(strongLogits, mask, adaptive.modelProbability(), adaptive.modelHistogram());
    info.track('fairnessLoss', fairness);
    combined = tf.add(combined, tf.mul(fairness, p.fairnessWeight));
  }
  const loss = withAuxiliaryLosses(combined, built, aux, (a) => softCrossEntropy(rows(a, 0, nl), labelledY));
  info.track('accuracy', batchAccuracy(labelledLogits, labelledY));
  info.track('unlabelledLoss', consistency);
  return loss;
}

/** Trains the recipe's model with FixMatch; checkpoints go to `<runDir>/checkpoints` (a warm-up's to `<runDir>/warm-up/checkpoints`). */
export async function trainFixMatch(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const { data } = ctx;
  // In memory, or a folder read in batches as the steps use them.
  const unlabelled = requireUnlabelledSource(ctx, 'fixmatch');
  const views: Views = consistencyViews(ctx, p);
  const built = buildModel(ctx, ctx.model, { rng: ctx.rng.child('init') });
  let teacher: EmaTeacher | undefined;
  try {
    if (p.supervisedEpochs > 0) {
      ctx.log(`fixmatch: ${p.supervisedEpochs} epochs of supervised training on the ${data.labelled.labels.length} labelled images first`);
      const warmUp = { stream: ctx.rng.child('warm-up'), folder: 'warm-up', train: { epochs: p.supervisedEpochs } };
      await trainSupervised(ctx, { ...warmUp, model: built, evaluate: false });
    }
    if (p.pseudoLabelModel === 'ema') {
      teacher = new EmaTeacher(built, buildModel(ctx, ctx.model, { rng: ctx.rng.child('teacher-init') }), p.teacherDecay);
      teacher.start();
    }
    const source = unlabelledBatches(ctx, unlabelled, p);
    const run = await runTraining(ctx, {
      model: built,
      data: source,
      callbacks: [views.gate.callback, views.align, teacher].filter((c) => c !== undefined),
      prepare: (batch, info) => fixMatchBatch(built, batch, info, { ...views, teacher }, data.normalization),
      loss: (batch, info) => fixMatchLoss(built, batch, info, data.normalization, p, views.adaptive),
    });
    const evaluation = finalEvaluation(ctx, built.model);
    return { model: built, evaluation, details: { strategy: 'fixmatch', history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    built.model.dispose();
    throw error;
  } finally {
    teacher?.dispose();
  }
}

/**
 * FixMatch (Sohn et al. 2020): the weak view of an unlabelled image gives a pseudo-label when the
 * model is confident (≥ τ); the strong view of the same image is trained towards it.
 */
export const fixMatch: StrategyFactory<Params> = (p): Strategy => ({
  run: async (ctx) => trainFixMatch(ctx, p),
});
