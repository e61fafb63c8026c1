import type { Augmentation, ImageSet, StrategyContext, StreamedImageSet } from '@frugal/core';
import { z } from 'zod';
import { augmentSpecSchema, resolveAugmentations } from '../augment/augment-spec.js';
import { MixedBatchSource, imageCount } from '../data/mixed-batch-source.js';
import { DistributionAlignment } from '../losses/distribution-alignment.js';
import { fixedGate, selfAdaptiveGate, softGate, type ConfidenceGate } from '../losses/confidence-gate.js';
import { SelfAdaptiveThreshold } from '../losses/self-adaptive-threshold.js';
import { SoftThreshold } from '../losses/soft-threshold.js';

/** The parameters FixMatch and CoMatch share: thresholds, views, alignment and batches. */
export const consistencyParams = {
  /**
   * τ: an unlabelled image's weak-view prediction becomes its pseudo-label when its probability is at
   * least this; `self-adaptive`: FreeMatch's per-class thresholds, which follow the model's confidence;
   * `soft`: SoftMatch's soft threshold, which weighs every pseudo-label, fully from the mean
   * confidence up and less and less below it.
   */
  confidenceThreshold: z.union([z.number().min(0).max(1), z.literal('self-adaptive'), z.literal('soft')]).default(0.95),
  /** Momentum of the self-adaptive or soft threshold's moving averages (FreeMatch's and SoftMatch's λ). */
  thresholdMomentum: z.number().min(0).lt(1).default(0.999),
  /**
   * SoftMatch's n_σ: below the mean confidence, a pseudo-label's weight falls as a Gaussian whose
   * standard deviation is the confidences' σ divided by this (larger: sharper).
   */
  softThresholdSigmas: z.number().positive().default(2),
  /** μ: unlabelled images per labelled image in every batch. */
  unlabelledRatio: z.number().int().min(1).max(64).default(7),
  /** λ_u: weight of the unlabelled (consistency) loss. */
  unlabelledWeight: z.number().min(0).default(1),
  /** Strong augmentation of the unlabelled images, by registry name (RandAugment from @frugal/augment by default). */
  strongAugment: z.array(augmentSpecSchema).default([{ op: 'rand-augment' }]),
  /** Weak augmentation (flip and shift in the paper); default: the recipe's augmentation pipeline. */
  weakAugment: z.array(augmentSpecSchema).optional(),
  /** Augmentation of the labelled images in every batch; default: the weak view's. */
  labelledAugment: z.array(augmentSpecSchema).optional(),
  /**
   * Distribution alignment: scale the weak views' probabilities by uniform / (moving average of the
   * model's mean prediction) before taking pseudo-labels, so that over-predicted classes do not
   * take over the pseudo-labels.
   */
  distributionAlignment: z.boolean().default(false),
  /** Momentum of distribution alignment's moving average. */
  alignmentMomentum: z.number().min(0).lt(1).default(0.999),
  /** Steps per epoch; default: one pass over the unlabelled images. */
  stepsPerEpoch: z.number().int().min(1).optional(),
};

export type ConsistencyParams = z.output<z.ZodObject<typeof consistencyParams>>;

export interface ConsistencyViews {
  /** The labelled images' augmentation: `labelledAugment`, else the weak view's. */
  readonly labelled: readonly Augmentation[];
  readonly weak: readonly Augmentation[];
  readonly strong: readonly Augmentation[];
  /** How much each unlabelled image's pseudo-label counts, from its weak view's confidence. */
  readonly gate: ConfidenceGate;
  /** Present when the threshold is self-adaptive (the gate's estimates, which FreeMatch's fairness loss reads). */
  readonly adaptive?: SelfAdaptiveThreshold;
  /** Present with distribution alignment. */
  readonly align?: DistributionAlignment;
}

/**
 * The labelled, weak and strong augmentations, and the threshold and alignment estimates the
 * parameters ask for; `suffix` tells apart the estimates of several networks trained together in checkpoints.
 */
export function consistencyViews(ctx: StrategyContext, p: ConsistencyParams, suffix = ''): ConsistencyViews {
  const numClasses = ctx.data.classNames.length;
  const weak = p.weakAugment ? resolveAugmentations(ctx.frugal, p.weakAugment, 'strategy.params.weakAugment') : ctx.augment;
  const adaptive = p.confidenceThreshold === 'self-adaptive' ? new SelfAdaptiveThreshold(numClasses, p.thresholdMomentum, `fixmatch-self-adaptive-threshold${suffix}`) : undefined;
  return {
    labelled: p.labelledAugment ? resolveAugmentations(ctx.frugal, p.labelledAugment, 'strategy.params.labelledAugment') : weak,
    weak,
    strong: resolveAugmentations(ctx.frugal, p.strongAugment, 'strategy.params.strongAugment'),
    gate: confidenceGate(p, numClasses, suffix, adaptive),
    adaptive,
    align: p.distributionAlignment ? new DistributionAlignment(numClasses, p.alignmentMomentum, undefined, `fixmatch-distribution-alignment${suffix}`) : undefined,
  };
}

function confidenceGate(p: ConsistencyParams, numClasses: number, suffix: string, adaptive?: SelfAdaptiveThreshold): ConfidenceGate {
  if (adaptive) return selfAdaptiveGate(adaptive);
  if (p.confidenceThreshold === 'soft') {
    return softGate(new SoftThreshold(numClasses, p.thresholdMomentum, p.softThresholdSigmas, `fixmatch-soft-threshold${suffix}`));
  }
  return fixedGate(p.confidenceThreshold as number);
}

/** Batches of B labelled + μB unlabelled images, `stepsPerEpoch` of them an epoch (default: one pass over the unlabelled images). */
export function unlabelledBatches(ctx: StrategyContext, unlabelled: ImageSet | StreamedImageSet, p: ConsistencyParams): MixedBatchSource {
  const unlabelledBatchSize = p.unlabelledRatio * ctx.train.batchSize;
  return new MixedBatchSource(ctx.data.labelled, unlabelled, {
    labelledBatchSize: ctx.train.batchSize,
    unlabelledBatchSize,
    numClasses: ctx.data.classNames.length,
    rng: ctx.rng.child('shuffle'),
    stepsPerEpoch: p.stepsPerEpoch ?? Math.ceil(imageCount(unlabelled) / unlabelledBatchSize),
    labelSmoothing: ctx.train.labelSmoothing,
    balanceClasses: ctx.train.balanceClasses,
  });
}
