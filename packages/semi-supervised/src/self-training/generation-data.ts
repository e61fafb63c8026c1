import { FrugalInputError, predictLogits, subset, type BuiltModel, type EpochSource, type ImageSet, type Rng, type StrategyContext } from '@frugal/core';
import { MixedBatchSource } from '../data/mixed-batch-source.js';
import { describeSelection, selectPseudoLabels, type PseudoLabelSelection } from '../pseudo-labels/select-pseudo-labels.js';
import type { SelfTrainingPlan } from './self-training-plan.js';

/**
 * A student generation's data: the teacher's pseudo-labels for the unlabelled images, mixed into
 * every batch with the labelled images (`unlabelledRatio` pseudo-labelled per labelled image).
 */
export function studentData(
  ctx: StrategyContext,
  plan: SelfTrainingPlan,
  teacher: BuiltModel,
  unlabelled: ImageSet,
  g: number,
  rng: Rng,
): { source: EpochSource; selection: PseudoLabelSelection } {
  const { data } = ctx;
  const numClasses = data.classNames.length;
  const logits = predictLogits(teacher.model, unlabelled, { normalization: data.normalization });
  const selection = selectPseudoLabels(logits, numClasses, plan.pseudoLabels);
  ctx.log(`${plan.strategy} generation ${g}: ${describeSelection(selection.stats)}`);
  if (selection.indices.length === 0) {
    throw new FrugalInputError(
      `${plan.strategy}: no unlabelled image reached confidenceThreshold ${plan.pseudoLabels.confidenceThreshold} ` +
        `under the teacher of generation ${g - 1}; lower the threshold or train the teacher longer (teacherEpochs).`,
    );
  }
  const source = new MixedBatchSource(data.labelled, subset(unlabelled, selection.indices), {
    labelledBatchSize: ctx.train.batchSize,
    unlabelledBatchSize: Math.max(1, Math.round(plan.unlabelledRatio * ctx.train.batchSize)),
    numClasses,
    rng: rng.child('shuffle'),
    unlabelledTargets: selection.targets,
    stepsPerEpoch: plan.stepsPerEpoch,
    labelSmoothing: ctx.train.labelSmoothing,
  });
  return { source, selection };
}
