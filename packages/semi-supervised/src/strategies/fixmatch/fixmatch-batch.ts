import { augmentBatch, normalize, type Batch, type StepInfo } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { labelledRowsOf, type MixedBatch } from '../../data/mixed-batch-source.js';
import { fixMatchTargets } from '../../losses/fixmatch-loss.js';
import { rows } from '../../losses/row-cross-entropy.js';
import type { FixMatchRun } from './fixmatch-run.js';
import { liveLogits } from './live-logits.js';
import type { TermRows, WeakGuess } from './term.js';

/** Where a term's carried columns sit in a batch's targets, and its own rows in its images. */
export interface TermLayout {
  readonly columns?: { readonly start: number; readonly width: number };
  readonly rows?: { readonly start: number; readonly count: number; readonly width: number };
}

/**
 * FixMatch's batch: the labelled rows, the strong views, then each term's own rows; in `y`, the
 * targets' columns, then each term's carried columns. `layout[i]` places the run's `terms[i]`.
 */
export interface FixMatchBatch extends MixedBatch {
  readonly layout: readonly TermLayout[];
}

/** The weak views' logits (the teacher's, or the trained model's) and, when a term reads them, the trained model's features. */
function weakForward(run: FixMatchRun, x: tf.Tensor4D): { logits: tf.Tensor2D; features?: tf.Tensor2D } {
  if (run.withFeatures) {
    const [logits, features] = run.withFeatures.apply(x, { training: true }) as tf.Tensor2D[];
    return { logits: run.teacher ? run.teacher.predict(x) : (logits as tf.Tensor2D), features };
  }
  return { logits: run.teacher ? run.teacher.predict(x) : liveLogits(run.built, x) };
}

/**
 * The weak views' logits: with several views, the log of the mean of their softmax (its softmax
 * gives the mean back), and the first view's images and features.
 */
function guessWeak(run: FixMatchRun, unlabelled: Batch, info: StepInfo): { images: tf.Tensor4D; logits: tf.Tensor2D; features?: tf.Tensor2D } {
  const guesses = Array.from({ length: run.p.weakViews }, (_, k) => {
    const weak = augmentBatch(run.weak, unlabelled, info.rng.child(k === 0 ? 'weak' : `weak-${k}`));
    return { images: weak.x, ...weakForward(run, normalize(weak.x, run.normalization)) };
  });
  const first = guesses[0]!;
  if (guesses.length === 1) return first;
  const mean = tf.mean(tf.stack(guesses.map((g) => tf.softmax(g.logits))), 0);
  return { ...first, logits: tf.log(mean) as tf.Tensor2D };
}

/**
 * Before the gradient tape: the weak views of the labelled and unlabelled images, the unlabelled
 * images' pseudo-labels from forward passes on their weak views (no backward pass needed), their
 * strong views, and what the terms carry and add. The batch it returns holds the labelled weak
 * views, then the strong views, with the pseudo-labels (weighted by the gate; zero rows for images
 * left out) as their targets; then the terms' rows.
 */
export function fixMatchBatch(run: FixMatchRun, batch: Batch, info: StepInfo): FixMatchBatch {
  const nl = labelledRowsOf(batch);
  const nu = batch.x.shape[0] - nl;
  const labelled = augmentBatch(run.labelled, { x: rows(batch.x, 0, nl), y: rows(batch.y, 0, nl) }, info.rng.child('labelled'));
  const unlabelled = { x: rows(batch.x, nl, nu), y: rows(batch.y, nl, nu) };
  const { images: weak, logits: guessed, features } = guessWeak(run, unlabelled, info);
  const rawLogits = run.neighbours ? tf.log(run.neighbours.mix(tf.softmax(guessed) as tf.Tensor2D, (batch as MixedBatch).unlabelledImages!)) : guessed;
  // Aligned probabilities as logits: their softmax gives them back.
  const weakLogits = (run.align ? tf.log(run.align.align(tf.softmax(rawLogits))) : rawLogits) as tf.Tensor2D;
  const threshold = run.gate.update(tf.softmax(weakLogits) as tf.Tensor2D);
  if (threshold !== undefined) info.track('threshold', threshold);
  const { targets, maskRate } = fixMatchTargets(weakLogits, run.gate, run.p.pseudoLabelTemperature);
  info.track('maskRate', maskRate);
  const strong = augmentBatch(run.strong, unlabelled, info.rng.child('strong'));
  const guess: WeakGuess = { built: run.built, info, normalization: run.normalization, gate: run.gate, labelledRows: nl, weak, logits: weakLogits, targets, features };

  // The terms' columns ride after the targets', the labelled rows' zero; mixing blends them with the targets.
  let width = targets.shape[1];
  const columns = [tf.concat([labelled.y, targets])];
  const carried = run.terms.map((term) => {
    const carry = term.carry?.(guess);
    if (!carry) return undefined;
    columns.push(tf.concat([tf.zeros([nl, carry.shape[1]]), carry]));
    width += carry.shape[1];
    return { start: width - carry.shape[1], width: carry.shape[1] };
  });
  const both = { x: tf.concat([labelled.x, strong.x]), y: (columns.length > 1 ? tf.concat(columns, 1) : columns[0]) as tf.Tensor2D };
  const mixed = run.mix.length > 0 ? augmentBatch(run.mix, both, info.rng.child('mix')) : both;

  // The terms' own rows ride after the strong views'.
  const added: TermRows[] = [];
  let end = nl + nu;
  const layout = run.terms.map((term, i): TermLayout => {
    const own = term.rows?.(guess, rows(mixed.x, nl, nu));
    if (!own) return { columns: carried[i] };
    added.push(own);
    end += own.images.shape[0];
    return { columns: carried[i], rows: { start: end - own.images.shape[0], count: own.images.shape[0], width: own.targets.shape[1] } };
  });
  if (added.length === 0) return { ...mixed, labelledRows: nl, layout };
  // Every row's targets padded with zeros to the widest.
  const widest = Math.max(width, ...added.map((own) => own.targets.shape[1]));
  const padded = (y: tf.Tensor2D) => (y.shape[1] < widest ? (tf.pad(y, [[0, 0], [0, widest - y.shape[1]]]) as tf.Tensor2D) : y);
  return {
    x: tf.concat([mixed.x, ...added.map((own) => own.images)]),
    y: tf.concat([padded(mixed.y), ...added.map((own) => padded(own.targets))]),
    labelledRows: nl,
    layout,
  };
}
