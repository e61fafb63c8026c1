import {
  augmentBatch,
  batchAccuracy,
  buildModel,
  finalEvaluation,
  FrugalInputError,
  isStreamed,
  normalize,
  requireUnlabelledSource,
  runTraining,
  softCrossEntropy,
  trainSupervised,
  withAuxiliaryLosses,
  type Augmentation,
  type Batch,
  type BuiltModel,
  type Normalization,
  type StepInfo,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
  releaseModel,
  contractLayer,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { z } from 'zod';
import { augmentSpecSchema, resolveAugmentations } from '../augment/augment-spec.js';
import { consistencyParams, consistencyViews, unlabelledBatches, type ConsistencyViews } from './consistency-parts.js';
import { labelledRowsOf, type MixedBatch } from '../data/mixed-batch-source.js';
import { fixMatchTargets } from '../losses/fixmatch-loss.js';
import type { SelfAdaptiveThreshold } from '../losses/self-adaptive-threshold.js';
import { selfAdaptiveFairness } from '../losses/self-adaptive-fairness.js';
import { EmaTeacher } from '../losses/ema-teacher.js';
import { featureConsistencyLoss } from '../losses/feature-consistency.js';
import { rowCrossEntropy, rows } from '../losses/row-cross-entropy.js';
import { ROTATION_HEAD, quarterTurns, withRotationHead } from '../losses/rotation-task.js';
import { withRunHead } from '../losses/run-head.js';
import { virtualAdversarial, type VirtualAdversarial } from '../losses/virtual-adversarial.js';
import { shrunkLoss, shrunkTargets } from '../losses/shrunk-class-space.js';
import { NeighbourLabels, neighbourLabelsSchema } from '../pseudo-labels/neighbour-labels.js';

/** The name of the decoupled pseudo head's layer, which the run adds and takes away again. */
const PSEUDO_HEAD = 'pseudo_head';
/** The name of the feature consistency's projection layer, which the run adds and takes away again. */
const PROJECTION_HEAD = 'projection_head';
/** The name of the shrunk class spaces' head, which the run adds and takes away again. */
const SHRINK_HEAD = 'shrink_head';

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
   * K: weak views per unlabelled image; the pseudo-label comes from the mean of their softmax
   * (MixMatch's label guessing, Berthelot et al. 2019), which steadies it against the view drawn,
   * for one more forward pass of the unlabelled images per extra view. 1: the paper's single view.
   */
  weakViews: z.number().int().min(1).max(8).default(1),
  /**
   * A second opinion from each image's neighbours in pixel space: every `everyEpochs` epochs the
   * model labels all the unlabelled images, the labels are smoothed over the pixel graph, and each
   * weak-view prediction is mixed with its image's smoothed label (`weight`). For images whose pixels
   * line up (Fashion-MNIST, MNIST); needs the unlabelled images in memory. Default: off.
   */
  neighbourLabels: neighbourLabelsSchema.optional(),
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
  /**
   * Augmentations of the whole batch once the pseudo-labels are set, images and targets together:
   * `[{ op: mixup }]` blends the labelled and strong views in pairs with their targets, which keeps
   * the network from repeating its own confident mistakes (Arazo et al. 2020). Default: none.
   */
  mixAugment: z.array(augmentSpecSchema).default([]),
  /**
   * λ_rot: weight of the rotation task kept alongside FixMatch (S4L, Zhai et al. 2019; ReMixMatch):
   * as many strong views as there are labelled images a step are turned by 0, 90, 180 or 270°, and
   * a second head on the features tells which. The saved model is the classifier alone. 0: off.
   */
  rotationWeight: z.number().min(0).default(0),
  /**
   * T: soft pseudo-labels, the weak view's softmax sharpened by this temperature (UDA uses 0.4),
   * instead of its arg-max; the gate still weighs them by the unsharpened confidence. Default: hard.
   */
  pseudoLabelTemperature: z.number().positive().optional(),
  /**
   * Debiased self-training's decoupling (Chen et al. 2022): the strong views learn their
   * pseudo-labels through a second classifier head on the features, the pseudo head, so the head
   * that makes the pseudo-labels (the model's own) learns from the labelled images alone and never
   * from its own mistakes; the features learn from both. The saved model is the classifier alone.
   */
  decoupledHead: z.boolean().default(false),
  /**
   * λ_s: weight of DoubleMatch's self-supervised loss (Wallin et al. 2022): a linear projection of
   * every strong view's features is pulled, by cosine similarity, towards its weak view's features,
   * so the unlabelled images below the threshold teach the features too. 0: off.
   */
  featureConsistencyWeight: z.number().min(0).default(0),
  /**
   * λ_shrink: weight of ShrinkMatch's loss (Yang et al. 2023) on the unlabelled images below the
   * threshold. Each leaves out the classes its weak view ranks next to its top class, one by one,
   * until the top class passes the threshold among those left, and its strong view learns the top
   * class against them alone: what the image is not, without the classes it hesitates between. 0: off.
   */
  shrinkWeight: z.number().min(0).default(0),
  /** With `shrinkWeight`: the shrunk spaces are learnt by a head of their own on the features (ShrinkMatch's), not by the classifier. */
  shrinkHead: z.boolean().default(true),
  /**
   * λ_vat: weight of virtual adversarial training beside FixMatch (VAT, Miyato et al. 2018): the
   * first `vatImages` weak views of a step are each moved by `vatEpsilon` in the direction that
   * changes the network's prediction most, and learn to keep the prediction. Unlike the
   * pseudo-labels, it counts every image, however unsure the network is of it. 0: off.
   */
  vatWeight: z.number().min(0).default(0),
  /** ε: how far VAT moves an image, L2 over its pixels in [0, 1] (the paper's 2 on MNIST). */
  vatEpsilon: z.number().positive().default(2),
  /** ξ: the radius of VAT's finite difference; the paper's 1e-6 needs float32 arithmetic throughout (about 0.1 under bfloat16). */
  vatXi: z.number().positive().default(1e-6),
  /** Unlabelled images a step that VAT moves, the first of the batch; default: all of them. */
  vatImages: z.number().int().min(1).optional(),
})
  .refine((p) => p.fairnessWeight === 0 || p.confidenceThreshold === 'self-adaptive', {
    message: "the fairness loss reads the self-adaptive thresholds' estimates: set confidenceThreshold to self-adaptive, or fairnessWeight to 0",
    path: ['fairnessWeight'],
  })
  .refine((p) => p.shrinkWeight === 0 || p.confidenceThreshold !== 'soft', {
    message: 'shrunk class spaces are shrunk until the top class passes a threshold: set confidenceThreshold to a number or self-adaptive, or shrinkWeight to 0',
    path: ['shrinkWeight'],
  })
  .refine((p) => p.shrinkWeight === 0 || p.mixAugment.length === 0, {
    message: 'mixing images would blend their shrunk class spaces: leave mixAugment empty, or set shrinkWeight to 0',
    path: ['shrinkWeight'],
  })
  .refine((p) => p.vatWeight === 0 || p.mixAugment.length === 0, {
    message: 'mixing images would blend the adversarial images with the others: leave mixAugment empty, or set vatWeight to 0',
    path: ['vatWeight'],
  });

export type FixMatchParams = z.input<typeof fixMatchParams>;
type Params = z.output<typeof fixMatchParams>;

interface Views extends ConsistencyViews {
  /** Present with `pseudoLabelModel: 'ema'`. */
  readonly teacher?: EmaTeacher;
  /** Present with feature consistency: the trained model's logits and features. */
  readonly withFeatures?: LayersModel;
  /** `mixAugment`, resolved. */
  readonly mix: readonly Augmentation[];
  /** Present with `neighbourLabels`. */
  readonly neighbours?: NeighbourLabels;
}

/** FixMatch's batch: labelled rows, strong views, then, with VAT, `adversarialRows` virtual adversarial images. */
interface FixMatchBatch extends MixedBatch {
  readonly adversarialRows: number;
}

/** The trained model's logits in training mode (the paper's pseudo-labels). */
function liveLogits(built: BuiltModel, x: tf.Tensor4D): tf.Tensor2D {
  const out = (built.trainingModel ?? built.model).apply(x, { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  return Array.isArray(out) ? (out[0] as tf.Tensor2D) : out;
}

/** A network that gives the model's logits and its `features`, sharing the model's layers. */
function logitsAndFeatures(model: LayersModel): LayersModel {
  return functionalModel({ inputs: model.inputs, outputs: [model.outputs[0], contractLayer(model, 'features', 'FixMatch (its feature terms)').output] as never });
}

/** The weak views' logits (the teacher's, or the trained model's) and, with feature consistency, the trained model's features. */
function weakForward(built: BuiltModel, x: tf.Tensor4D, views: Views): { logits: tf.Tensor2D; features?: tf.Tensor2D } {
  if (views.withFeatures) {
    const [logits, features] = views.withFeatures.apply(x, { training: true }) as tf.Tensor2D[];
    return { logits: views.teacher ? views.teacher.predict(x) : (logits as tf.Tensor2D), features };
  }
  return { logits: views.teacher ? views.teacher.predict(x) : liveLogits(built, x) };
}

/**
 * The weak views' logits: with several views, the log of the mean of their softmax (its softmax
 * gives the mean back), and the first view's features.
 */
function guessWeak(built: BuiltModel, unlabelled: Batch, info: StepInfo, views: Views, norm: Normalization, count: number): { images: tf.Tensor4D; logits: tf.Tensor2D; features?: tf.Tensor2D } {
  const guesses = Array.from({ length: count }, (_, k) => {
    const weak = augmentBatch(views.weak, unlabelled, info.rng.child(k === 0 ? 'weak' : `weak-${k}`));
    return { images: weak.x, ...weakForward(built, normalize(weak.x, norm), views) };
  });
  const first = guesses[0]!;
  if (count === 1) return first;
  const mean = tf.mean(tf.stack(guesses.map((g) => tf.softmax(g.logits))), 0);
  return { ...first, logits: tf.log(mean) as tf.Tensor2D };
}

/** VAT's moved images, from the first weak views, and the predictions they are to keep. */
function adversarialRows(built: BuiltModel, weak: tf.Tensor4D, info: StepInfo, norm: Normalization, p: Params): VirtualAdversarial {
  const count = Math.min(p.vatImages ?? weak.shape[0], weak.shape[0]);
  const logits = (x: tf.Tensor4D) => liveLogits(built, normalize(x, norm) as tf.Tensor4D);
  return virtualAdversarial(logits, rows(weak, 0, count), p.vatEpsilon, p.vatXi, info.rng.child('vat').seedInt());
}

/**
 * Before the gradient tape: the weak views of the labelled and unlabelled images, the unlabelled
 * images' pseudo-labels from forward passes on their weak views (no backward pass needed), and their
 * strong views. The batch it returns holds the labelled weak views, then the strong views, with the
 * pseudo-labels (weighted by the gate; zero rows for images left out) as their targets.
 */
function fixMatchBatch(built: BuiltModel, batch: Batch, info: StepInfo, views: Views, norm: Normalization, p: Params): FixMatchBatch {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const labelled = augmentBatch(views.labelled, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelled = { x: rows(batch.x, nl, nu), y: rows(batch.y, nl, nu) };
  const { images: weak, logits: guessed, features } = guessWeak(built, unlabelled, info, views, norm, p.weakViews);
  const rawLogits = views.neighbours ? tf.log(views.neighbours.mix(tf.softmax(guessed) as tf.Tensor2D, (batch as MixedBatch).unlabelledImages!)) : guessed;
  // Aligned probabilities as logits: their softmax gives them back.
  const weakLogits = views.align ? tf.log(views.align.align(tf.softmax(rawLogits))) : rawLogits;
  const threshold = views.gate.update(tf.softmax(weakLogits) as tf.Tensor2D);
  if (threshold !== undefined) info.track('threshold', threshold);
  const { targets, maskRate } = fixMatchTargets(weakLogits as tf.Tensor2D, views.gate, p.pseudoLabelTemperature);
  info.track('maskRate', maskRate);
  const strong = augmentBatch(views.strong, unlabelled, info.rng.child('strong'));
  // The shrunk spaces' targets and kept classes, then the weak views' features, ride after the targets' columns.
  const columns = [tf.concat([labelled.y, targets])];
  if (p.shrinkWeight > 0) {
    const numClasses = targets.shape[1];
    const shrunk = shrunkTargets(weakLogits as tf.Tensor2D, tf.sum(targets, -1) as tf.Tensor1D, views.gate);
    info.track('shrinkRate', shrunk.shrinkRate);
    columns.push(tf.concat([tf.zeros([nl, numClasses]), shrunk.targets]), tf.concat([tf.ones([nl, numClasses]), shrunk.kept]));
  }
  if (features) columns.push(tf.concat([tf.zeros([nl, features.shape[1]]), features]));
  const y = (columns.length > 1 ? tf.concat(columns, 1) : columns[0]) as tf.Tensor2D;
  if (p.vatWeight > 0) {
    // The moved images' targets, padded with zeros to the other rows' columns.
    const moved = adversarialRows(built, weak, info, norm, p);
    const padded = tf.pad(moved.targets, [[0, 0], [0, y.shape[1] - moved.targets.shape[1]]]);
    return { x: tf.concat([labelled.x, strong.x, moved.images]), y: tf.concat([y, padded]), labelledRows: nl, adversarialRows: moved.images.shape[0] };
  }
  const both = { x: tf.concat([labelled.x, strong.x]), y };
  const mixed = views.mix.length > 0 ? augmentBatch(views.mix, both, info.rng.child('mix')) : both;
  return { ...mixed, labelledRows: nl, adversarialRows: 0 };
}

/**
 * Supervised CE on the labelled rows + λ_u · mean CE of the strong views against their pseudo-labels
 * (+ λ_f · FreeMatch's fairness loss over the strong views that passed their threshold)
 * (+ λ_rot · CE of the rotation head on the turned strong views)
 * (+ λ_s · DoubleMatch's feature consistency of the strong views with the weak ones)
 * (+ λ_shrink · ShrinkMatch's CE of the strong views below the threshold in their shrunk class spaces)
 * (+ λ_vat · mean CE of the virtual adversarial images against the predictions they are to keep).
 */
function fixMatchLoss(built: BuiltModel, network: LayersModel, batch: Batch, info: StepInfo, norm: Normalization, p: Params, adaptive?: SelfAdaptiveThreshold): tf.Scalar {
  const nl = labelledRowsOf(batch);
  const total = batch.x.shape[0];
  const na = (batch as FixMatchBatch).adversarialRows;
  const nu = total - nl - na;
  // With the rotation task, the first strong views turned go through the network in the same pass.
  const turned = p.rotationWeight > 0 ? quarterTurns(rows(batch.x as tf.Tensor4D, nl, Math.min(nl, nu))) : undefined;
  const x = turned ? tf.concat([batch.x, turned.images]) : batch.x;
  const out = network.apply(normalize(x, norm), { training: true }) as tf.Tensor2D | tf.Tensor2D[];
  const outputs = (Array.isArray(out) ? out : [out]) as tf.Tensor2D[];
  // The run's own heads come last: the pseudo head, the rotation head, the shrink head, then the projection.
  const projected = p.featureConsistencyWeight > 0 ? rows(outputs.pop() as tf.Tensor2D, nl, nu) : undefined;
  const shrinkLogits = p.shrinkWeight > 0 && p.shrinkHead ? (outputs.pop() as tf.Tensor2D) : undefined;
  const rotation = turned ? softCrossEntropy(rows(outputs.pop() as tf.Tensor2D, total, turned.targets.shape[0]), turned.targets) : undefined;
  const pseudoHead = p.decoupledHead ? (outputs.pop() as tf.Tensor2D) : undefined;
  const [logits, ...aux] = turned ? outputs.map((o) => rows(o, 0, total)) : outputs;
  const labelledLogits = rows(logits as tf.Tensor2D, 0, nl);
  const numClasses = (logits as tf.Tensor2D).shape[1];
  const y = batch.y.shape[1] > numClasses ? (tf.slice(batch.y, [0, 0], [total, numClasses]) as tf.Tensor2D) : batch.y;
  const labelledY = rows(y, 0, nl);
  const supervised = softCrossEntropy(labelledLogits, labelledY);
  const strongLogits = rows(pseudoHead ?? (logits as tf.Tensor2D), nl, nu);
  const pseudoLabels = rows(y, nl, nu);
  const consistency = tf.mean(rowCrossEntropy(strongLogits, pseudoLabels)) as tf.Scalar;
  let combined = tf.add(supervised, tf.mul(consistency, p.unlabelledWeight)) as tf.Scalar;
  if (p.fairnessWeight > 0 && adaptive) {
    // Masked-out images carry zero rows as targets.
    const mask = tf.sum(pseudoLabels, -1) as tf.Tensor1D;
    const fairness = selfAdaptiveFairness(strongLogits, mask, adaptive.modelProbability(), adaptive.modelHistogram());
    info.track('fairnessLoss', fairness);
    combined = tf.add(combined, tf.mul(fairness, p.fairnessWeight));
  }
  if (na > 0) {
    const vat = tf.mean(rowCrossEntropy(rows(logits as tf.Tensor2D, nl + nu, na), rows(y, nl + nu, na))) as tf.Scalar;
    info.track('vatLoss', vat);
    combined = tf.add(combined, tf.mul(vat, p.vatWeight));
  }
  if (rotation) {
    info.track('rotationLoss', rotation);
    combined = tf.add(combined, tf.mul(rotation, p.rotationWeight));
  }
  let column = numClasses;
  if (p.shrinkWeight > 0) {
    const shrinkTargets = tf.slice(batch.y, [nl, column], [nu, numClasses]) as tf.Tensor2D;
    const kept = tf.slice(batch.y, [nl, column + numClasses], [nu, numClasses]) as tf.Tensor2D;
    const shrink = shrunkLoss(shrinkLogits ? rows(shrinkLogits, nl, nu) : strongLogits, shrinkTargets, kept);
    info.track('shrinkLoss', shrink);
    combined = tf.add(combined, tf.mul(shrink, p.shrinkWeight));
    column += 2 * numClasses;
  }
  if (projected) {
    const weakFeatures = tf.slice(batch.y, [nl, column], [nu, projected.shape[1]]) as tf.Tensor2D;
    const features = featureConsistencyLoss(projected, weakFeatures);
    info.track('featureLoss', features);
    combined = tf.add(combined, tf.mul(features, p.featureConsistencyWeight));
  }
  const loss = withAuxiliaryLosses(combined, built, aux, (a) => softCrossEntropy(rows(a, 0, nl), labelledY));
  info.track('accuracy', batchAccuracy(labelledLogits, labelledY));
  info.track('unlabelledLoss', consistency);
  return loss;
}

/** Trains the recipe's model with FixMatch; checkpoints go to `<runDir>/checkpoints` (a warm-up's to `<runDir>/warm-up/checkpoints`). */
export async function trainFixMatch(ctx: StrategyContext, p: Params): Promise<StrategyResult> {
  const { data } = ctx;
  const [height, width] = data.labelled.shape;
  if (p.rotationWeight > 0 && height !== width) {
    throw new FrugalInputError(
      `strategy.params.rotationWeight: the rotation task turns images by quarter turns, so it needs square images, but these are ${height}×${width}; ` +
        'set rotationWeight to 0, or give the dataset a square size',
    );
  }
  // In memory, or a folder read in batches as the steps use them.
  const unlabelled = requireUnlabelledSource(ctx, 'fixmatch');
  if (p.neighbourLabels && isStreamed(unlabelled)) {
    throw new FrugalInputError(
      `fixmatch: strategy.params.neighbourLabels finds each image's neighbours among all the unlabelled images, so it needs them in memory, ` +
        `and these are read from ${unlabelled.dir} as training goes; remove neighbourLabels, or give the images as a dataset held in memory`,
    );
  }
  const views: Views = { ...consistencyViews(ctx, p), mix: resolveAugmentations(ctx.frugal, p.mixAugment, 'strategy.params.mixAugment') };
  const built = buildModel(ctx, ctx.model, { rng: ctx.rng.child('init') });
  const neighbours =
    p.neighbourLabels && !isStreamed(unlabelled)
      ? new NeighbourLabels(built, data.labelled, unlabelled, data.normalization, p.neighbourLabels, ctx.rng.child('neighbour-labels'), ctx.log)
      : undefined;
  let teacher: EmaTeacher | undefined;
  // The loop trains the model with the run's own heads, if any (see `decoupledHead`, `rotationWeight` and `featureConsistencyWeight`).
  const plain = built.trainingModel ?? built.model;
  const decoupled = p.decoupledHead ? withRunHead(plain, PSEUDO_HEAD, data.classNames.length, ctx.rng.child('pseudo-head')) : plain;
  const rotating = p.rotationWeight > 0 ? withRotationHead(decoupled, ctx.rng.child('rotation-head')) : decoupled;
  const shrinking = p.shrinkWeight > 0 && p.shrinkHead;
  const withShrinkHead = shrinking ? withRunHead(rotating, SHRINK_HEAD, data.classNames.length, ctx.rng.child('shrink-head')) : rotating;
  const projecting = p.featureConsistencyWeight > 0;
  const network = projecting ? withRunHead(withShrinkHead, PROJECTION_HEAD, built.featureDim, ctx.rng.child('projection-head')) : withShrinkHead;
  const withFeatures = projecting ? logitsAndFeatures(plain) : undefined;
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
      network,
      data: source,
      callbacks: [views.gate.callback, views.align, teacher, neighbours].filter((c) => c !== undefined),
      prepare: (batch, info) => fixMatchBatch(built, batch, info, { ...views, teacher, withFeatures, neighbours }, data.normalization, p),
      loss: (batch, info) => fixMatchLoss(built, network, batch, info, data.normalization, p, views.adaptive),
    });
    const evaluation = finalEvaluation(ctx, built.model);
    return { model: built, evaluation, details: { strategy: 'fixmatch', history: run.history, steps: run.steps, stopReason: run.stopReason } };
  } catch (error) {
    releaseModel(built);
    throw error;
  } finally {
    teacher?.dispose();
    // The run's heads go; the model's own layers, shared with the network, stay.
    if (p.decoupledHead) network.getLayer(PSEUDO_HEAD).dispose();
    if (p.rotationWeight > 0) network.getLayer(ROTATION_HEAD).dispose();
    if (shrinking) network.getLayer(SHRINK_HEAD).dispose();
    if (projecting) network.getLayer(PROJECTION_HEAD).dispose();
  }
}

/**
 * FixMatch (Sohn et al. 2020): the weak view of an unlabelled image gives a pseudo-label when the
 * model is confident (≥ τ); the strong view of the same image is trained towards it.
 */
export const fixMatch: StrategyFactory<Params> = (p): Strategy => ({
  run: async (ctx) => trainFixMatch(ctx, p),
});
