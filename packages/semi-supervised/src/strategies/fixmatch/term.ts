import type { BuiltModel, Normalization, StepInfo } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { z } from 'zod';
import type { ConfidenceGate } from '../../losses/confidence-gate.js';
import type { SelfAdaptiveThreshold } from '../../losses/self-adaptive-threshold.js';
import type { CoreParams } from './core-params.js';

/** The step before the gradient tape, as a term sees it: the weak views and their pseudo-labels. */
export interface WeakGuess {
  readonly built: BuiltModel;
  readonly info: StepInfo;
  readonly normalization: Normalization;
  readonly gate: ConfidenceGate;
  /** Labelled images in the step's batch. */
  readonly labelledRows: number;
  /** The unlabelled images' first weak views (pixels in 0–1). */
  readonly weak: tf.Tensor4D;
  /** The weak views' logits the pseudo-labels come from (after distribution alignment). */
  readonly logits: tf.Tensor2D;
  /** The pseudo-labels, weighted by the gate: zero rows for the images it leaves out. */
  readonly targets: tf.Tensor2D;
  /** The trained model's features of the first weak views: present when a term asks for them. */
  readonly features?: tf.Tensor2D;
}

/** Images a term adds to the step's forward pass, and the targets its loss reads for them. */
export interface TermRows {
  readonly images: tf.Tensor4D;
  readonly targets: tf.Tensor2D;
}

/** The forward pass, as a term's loss sees it. */
export interface TermPass {
  readonly info: StepInfo;
  /** The strong views' logits: the pseudo head's with `decoupledHead`, else the classifier's. */
  readonly strongLogits: tf.Tensor2D;
  /** The strong views' pseudo-labels (zero rows for the images the gate left out). */
  readonly pseudoLabels: tf.Tensor2D;
  /** The term's `carry`, for the strong views' rows (after `mixAugment`, when given). */
  readonly carried?: tf.Tensor2D;
  /** The term's own head on the strong views. */
  readonly head?: tf.Tensor2D;
  /** The term's own rows: the classifier's logits and the term's head on them, with their targets. */
  readonly rows?: { readonly logits: tf.Tensor2D; readonly head?: tf.Tensor2D; readonly targets: tf.Tensor2D };
}

/** What a term's `create` is given besides its parameters. */
export interface TermSetting {
  readonly numClasses: number;
  /** Width of the model's `features`. */
  readonly featureDim: number;
  /** The self-adaptive threshold's estimates, when the threshold is self-adaptive. */
  readonly adaptive?: SelfAdaptiveThreshold;
}

/**
 * One more term of FixMatch's loss, weighted and added after its supervised and consistency terms.
 * Before the tape it may carry columns beside each strong view's pseudo-label (`carry`), or add
 * images of its own to the pass (`rows`); a head of its own on the features (`head`) trains for
 * the run alone and is taken away after it.
 */
export interface FixMatchTerm {
  /** Tracked every step as `<name>Loss`. */
  readonly name: string;
  readonly weight: number;
  /** A dense head of `units` on the model's features (its layer named `head.name`), for the run alone. */
  readonly head?: { readonly name: string; readonly units: number };
  /** Asks the weak views' forward pass for the trained model's features (`WeakGuess.features`). */
  readonly weakFeatures?: boolean;
  /** Columns for each unlabelled image, `[unlabelled, k]`; they ride beside its pseudo-label (and are mixed with it). */
  carry?(guess: WeakGuess): tf.Tensor2D;
  /** Images for the pass after the strong views (after mixing), from the weak guess and the strong views. */
  rows?(guess: WeakGuess, strong: tf.Tensor4D): TermRows;
  /** The term's loss, before its weight. */
  loss(pass: TermPass): tf.Scalar;
}

/** A check of a term's parameters against FixMatch's others: when `ok` fails, `message` names what to change, at `path`. */
export interface TermCheck<S extends z.ZodRawShape> {
  readonly ok: (p: TermParams<S>) => boolean;
  readonly message: string;
  readonly path: keyof S & string;
}

/** A term's own parameters, with FixMatch's core ones. */
export type TermParams<S extends z.ZodRawShape> = z.output<z.ZodObject<S>> & CoreParams;

/**
 * A term of FixMatch's loss as the strategy registers it (`terms.ts`): its parameters (a zod shape,
 * merged into FixMatch's), their checks against the others, and the term a run's parameters make
 * (none when the term is off).
 */
export interface FixMatchTermSpec<S extends z.ZodRawShape> {
  readonly params: S;
  readonly checks?: readonly TermCheck<S>[];
  /** Refuses, as bad input naming the parameter, images the term cannot learn from (`[height, width, channels]`). */
  checkImages?(p: TermParams<S>, shape: readonly number[]): void;
  create(p: TermParams<S>, setting: TermSetting): FixMatchTerm | undefined;
}
