import {
  buildModel,
  contractLayer,
  finalEvaluation,
  FrugalInputError,
  isStreamed,
  releaseModel,
  requireUnlabelledSource,
  runTraining,
  trainSupervised,
  type Strategy,
  type StrategyContext,
  type StrategyFactory,
  type StrategyResult,
} from '@frugal/core';
import { model as functionalModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { resolveAugmentations } from '../../augment/augment-spec.js';
import { EmaTeacher } from '../../losses/ema-teacher.js';
import { withRunHead } from '../../losses/run-head.js';
import { NeighbourLabels } from '../../pseudo-labels/neighbour-labels.js';
import { consistencyViews, unlabelledBatches } from '../consistency-parts.js';
import { fixMatchBatch } from './fixmatch-batch.js';
import { fixMatchLoss } from './fixmatch-loss.js';
import type { FixMatchOptions } from './fixmatch-params.js';
import type { FixMatchRun } from './fixmatch-run.js';
import type { FixMatchTerm } from './term.js';
import { fixMatchTerms } from './terms.js';

/** The name of the decoupled pseudo head's layer, which the run adds and takes away again. */
const PSEUDO_HEAD = 'pseudo_head';

/** A network that gives the model's logits and its `features`, sharing the model's layers. */
function logitsAndFeatures(model: LayersModel): LayersModel {
  return functionalModel({ inputs: model.inputs, outputs: [model.outputs[0], contractLayer(model, 'features', 'FixMatch (its feature terms)').output] as never });
}

/** Trains the recipe's model with FixMatch; checkpoints go to `<runDir>/checkpoints` (a warm-up's to `<runDir>/warm-up/checkpoints`). */
export async function trainFixMatch(ctx: StrategyContext, p: FixMatchOptions): Promise<StrategyResult> {
  const { data } = ctx;
  for (const spec of fixMatchTerms) spec.checkImages?.(p, data.labelled.shape);
  // In memory, or a folder read in batches as the steps use them.
  const unlabelled = requireUnlabelledSource(ctx, 'fixmatch');
  if (p.neighbourLabels && isStreamed(unlabelled)) {
    throw new FrugalInputError(
      `fixmatch: strategy.params.neighbourLabels finds each image's neighbours among all the unlabelled images, so it needs them in memory, ` +
        `and these are read from ${unlabelled.dir} as training goes; remove neighbourLabels, or give the images as a dataset held in memory`,
    );
  }
  const views = consistencyViews(ctx, p);
  const mix = resolveAugmentations(ctx.frugal, p.mixAugment, 'strategy.params.mixAugment');
  const built = buildModel(ctx, ctx.model, { rng: ctx.rng.child('init') });
  const setting = { numClasses: data.classNames.length, featureDim: built.featureDim, adaptive: views.adaptive };
  const terms = fixMatchTerms.map((spec) => spec.create(p, setting)).filter((t): t is FixMatchTerm => t !== undefined);
  const neighbours =
    p.neighbourLabels && !isStreamed(unlabelled)
      ? new NeighbourLabels(built, data.labelled, unlabelled, data.normalization, p.neighbourLabels, ctx.rng.child('neighbour-labels'), ctx.log)
      : undefined;
  let teacher: EmaTeacher | undefined;
  // The loop trains the model with the run's own heads: the pseudo head, then the terms' heads.
  const plain = built.trainingModel ?? built.model;
  const headNames = [...(p.decoupledHead ? [PSEUDO_HEAD] : []), ...terms.flatMap((t) => (t.head ? [t.head.name] : []))];
  let network = p.decoupledHead ? withRunHead(plain, PSEUDO_HEAD, data.classNames.length, ctx.rng.child('pseudo-head')) : plain;
  // Each head's initial weights come from the stream named after it (`rotation_head`: `rotation-head`).
  for (const { head } of terms) if (head) network = withRunHead(network, head.name, head.units, ctx.rng.child(head.name.replace('_', '-')));
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
    const run: FixMatchRun = {
      ...views,
      built,
      network,
      normalization: data.normalization,
      p,
      terms,
      mix,
      teacher,
      withFeatures: terms.some((t) => t.weakFeatures) ? logitsAndFeatures(plain) : undefined,
      neighbours,
    };
    const result = await runTraining(ctx, {
      model: built,
      network,
      data: unlabelledBatches(ctx, unlabelled, p),
      callbacks: [views.gate.callback, views.align, teacher, neighbours].filter((c) => c !== undefined),
      prepare: (batch, info) => fixMatchBatch(run, batch, info),
      loss: (batch, info) => fixMatchLoss(run, batch, info),
    });
    const evaluation = finalEvaluation(ctx, built.model);
    return { model: built, evaluation, details: { strategy: 'fixmatch', history: result.history, steps: result.steps, stopReason: result.stopReason } };
  } catch (error) {
    releaseModel(built);
    throw error;
  } finally {
    teacher?.dispose();
    // The run's heads go; the model's own layers, shared with the network, stay.
    for (const name of headNames) network.getLayer(name).dispose();
  }
}

/**
 * FixMatch (Sohn et al. 2020): the weak view of an unlabelled image gives a pseudo-label when the
 * model is confident (≥ τ); the strong view of the same image is trained towards it. Further terms
 * of its loss are in `terms/`.
 */
export const fixMatch: StrategyFactory<FixMatchOptions> = (p): Strategy => ({
  run: async (ctx) => trainFixMatch(ctx, p),
});
