import {
  FrugalInputError,
  augmentBatch,
  batchAccuracy,
  evaluate,
  normalize,
  softCrossEntropy,
  trainLoop,
  type Augmentation,
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
import { join } from 'node:path';
import { z } from 'zod';
import { augmentSpecSchema, resolveAugmentations } from '../augment/augment-spec.js';
import { MixedBatchSource, labelledRowsOf } from '../data/mixed-batch-source.js';
import { consistencyLoss } from '../losses/fixmatch-loss.js';
import { rows } from '../losses/row-cross-entropy.js';
import { buildModel } from '../self-training/build-model.js';

export const fixMatchParams = z.strictObject({
  /** τ: an unlabelled image's weak-view prediction becomes its pseudo-label when its probability is at least this. */
  confidenceThreshold: z.number().min(0).max(1).default(0.95),
  /** μ: unlabelled images per labelled image in every batch. */
  unlabelledRatio: z.number().int().min(1).max(64).default(7),
  /** λ_u: weight of the unlabelled (consistency) loss. */
  unlabelledWeight: z.number().min(0).default(1),
  /** Strong augmentation of the unlabelled images, by registry name (RandAugment from @frugal/augment by default). */
  strongAugment: z.array(augmentSpecSchema).default([{ op: 'rand-augment' }]),
  /** Weak augmentation (flip and shift in the paper); default: the recipe's augmentation pipeline. */
  weakAugment: z.array(augmentSpecSchema).optional(),
  /** Steps per epoch; default: one pass over the unlabelled images. */
  stepsPerEpoch: z.number().int().min(1).optional(),
});

export type FixMatchParams = z.input<typeof fixMatchParams>;
type Params = z.output<typeof fixMatchParams>;

interface Views {
  readonly weak: readonly Augmentation[];
  readonly strong: readonly Augmentation[];
}

/**
 * One FixMatch step: labelled images (weak view), unlabelled weak and strong views in one forward
 * pass (shared BatchNorm statistics), supervised CE + λ_u · masked consistency CE.
 */
function fixMatchLoss(built: BuiltModel, batch: Batch, info: StepInfo, views: Views, norm: Normalization, p: Params): tf.Scalar {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const labelled = augmentBatch(views.weak, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelledX = rows(batch.x, nl, nu);
  const unlabelledY = rows(batch.y, nl, nu);
  const weak = augmentBatch(views.weak, { x: unlabelledX, y: unlabelledY }, info.rng.child('weak'));
  const strong = augmentBatch(views.strong, { x: unlabelledX, y: unlabelledY }, info.rng.child('strong'));
  const x = normalize(tf.concat([labelled.x, weak.x, strong.x]), norm);
  const net = built.trainingModel ?? built.model;
  const out = net.apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  const [logits, ...aux] = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
  const all = logits as tf.Tensor2D;
  const labelledLogits = rows(all, 0, nl);
  const supervised = softCrossEntropy(labelledLogits, labelled.y);
  const consistency = consistencyLoss(rows(all, nl, nu), rows(all, nl + nu, nu), p.confidenceThreshold);
  let loss = tf.add(supervised, tf.mul(consistency.loss, p.unlabelledWeight)) as tf.Scalar;
  aux.forEach((a, i) => {
    loss = tf.add(loss, tf.mul(softCrossEntropy(rows(a, 0, nl), labelled.y), built.auxLossWeights?.[i] ?? 0.3));
  });
  info.track('accuracy', batchAccuracy(labelledLogits, labelled.y));
  info.track('maskRate', consistency.maskRate);
  info.track('unlabelledLoss', consistency.loss);
  return loss;
}

function requireUnlabelled(ctx: StrategyContext) {
  const unlabelled = ctx.data.unlabelled;
  if (!unlabelled || unlabelled.labels.length === 0) {
    throw new FrugalInputError(
      'Strategy "fixmatch" learns from unlabelled images, and this run has none. Set data.labelledPerClass ' +
        '(or data.labelledFraction) so that the rest of the training set becomes unlabelled, or use a dataset that has unlabelled images.',
    );
  }
  return unlabelled;
}

/** Trains the recipe's model with FixMatch; checkpoints go to `<runDir>/checkpoints`. */
export async function trainFixMatch(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const { data } = ctx;
  const unlabelled = requireUnlabelled(ctx);
  const views: Views = {
    weak: p.weakAugment ? resolveAugmentations(ctx.frugal, p.weakAugment, 'strategy.params.weakAugment') : ctx.augment,
    strong: resolveAugmentations(ctx.frugal, p.strongAugment, 'strategy.params.strongAugment'),
  };
  const built = buildModel(ctx.frugal, ctx.model.name, ctx.model.params, data, ctx.rng.child('init'));
  try {
    const source = new MixedBatchSource(data.labelled, unlabelled, {
      labelledBatchSize: ctx.train.batchSize,
      unlabelledBatchSize: p.unlabelledRatio * ctx.train.batchSize,
      numClasses: data.classNames.length,
      rng: ctx.rng.child('shuffle'),
      stepsPerEpoch: p.stepsPerEpoch ?? Math.ceil(unlabelled.labels.length / (p.unlabelledRatio * ctx.train.batchSize)),
      labelSmoothing: ctx.train.labelSmoothing,
    });
    const validation = data.validation;
    const run = await trainLoop({
      model: built.trainingModel ?? built.model,
      data: source,
      config: ctx.train,
      rng: ctx.rng.child('steps'),
      callbacks: ctx.callbacks,
      checkpointDir: ctx.runDir ? join(ctx.runDir, 'checkpoints') : undefined,
      resume: ctx.resume,
      signal: ctx.signal,
      loss: (batch, info) => fixMatchLoss(built, batch, info, views, data.normalization, p),
      validate: validation
        ? () => {
            const r = evaluate(built.model, validation, { normalization: data.normalization });
            return { valLoss: r.loss, valAccuracy: r.accuracy };
          }
        : undefined,
    });
    const evaluation = data.test
      ? evaluate(built.model, data.test, { normalization: data.normalization })
      : validation
        ? evaluate(built.model, validation, { normalization: data.normalization })
        : undefined;
    return { model: built, evaluation, details: { strategy: 'fixmatch', history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    built.model.dispose();
    throw error;
  }
}

/**
 * FixMatch (Sohn et al. 2020): the weak view of an unlabelled image gives a pseudo-label when the
 * model is confident (≥ τ); the strong view of the same image is trained towards it.
 */
export const fixMatch: StrategyFactory<Params> = (p): Strategy => ({
  run: async (ctx) => trainFixMatch(ctx, p),
});
