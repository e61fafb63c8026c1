import { runTraining, supervisedLoss, type StrategyContext, type TrainLoopResult } from '@frugal/core';
import { backboneStages, DEFAULT_STAGE_PATTERN } from '../model/backbone-stages.js';
import { InferenceModeSwitch } from '../model/inference-mode.js';
import { layerVariables, type TransferModel } from '../model/replace-head.js';
import type { TransferParams } from '../params.js';
import { fineTuneGroups, type StagePlan } from './param-groups.js';

export interface FineTuneResult extends TrainLoopResult {
  readonly stages: readonly StagePlan[];
}

/** The default ratio of the head's learning rate to the backbone's. */
export const DEFAULT_LR_MULTIPLIER = 10;

/**
 * Method 2: everything trains; the backbone at a smaller learning rate than the new head
 * (`lrBackbone`, or `lrHead / lrMultiplier`), optionally smaller still for lower stages
 * (`layerDecay`) and unfrozen stage by stage from the top (`gradualUnfreezing`). A stage that is
 * still frozen runs in inference mode, so its BatchNorm statistics stay as they were.
 */
export async function fineTune(ctx: StrategyContext, tm: TransferModel, params: TransferParams): Promise<FineTuneResult> {
  const { train } = ctx;
  const lrHead = params.lrHead ?? train.optimizer.lr;
  const lrBackbone = params.lrBackbone ?? lrHead / (params.lrMultiplier ?? DEFAULT_LR_MULTIPLIER);
  const stages = backboneStages(tm.backbone, params.stagePattern ? new RegExp(params.stagePattern) : DEFAULT_STAGE_PATTERN);
  const { groups, plan } = fineTuneGroups(stages, layerVariables(tm.headLayers), {
    lrHead,
    lrBackbone,
    layerDecay: params.layerDecay ?? 1,
    unfreezing: params.gradualUnfreezing,
  });
  ctx.log(
    `Fine-tuning: head at lr ${lrHead}; backbone stages (top down) ` +
      plan.map((p) => `${p.name} lr ${+p.lr.toPrecision(4)}${p.fromEpoch ? ` from epoch ${p.fromEpoch + 1}` : ''}`).join(', '),
  );
  const never = plan.filter((p) => p.fromEpoch >= train.epochs);
  if (never.length) {
    ctx.log(`With ${train.epochs} epochs, stages ${never.map((p) => p.name).join(', ')} never unfreeze; add epochs or shorten gradualUnfreezing.`);
  }

  let epoch = 0;
  const fromEpoch = new Map(stages.flatMap((stage) => stage.layers.map((layer) => [layer, plan.find((p) => p.name === stage.name)?.fromEpoch ?? 0])));
  const frozenSwitch = params.gradualUnfreezing
    ? new InferenceModeSwitch([...fromEpoch.keys()], (layer) => epoch < (fromEpoch.get(layer) ?? 0))
    : undefined;
  const built = { model: tm.model, featureDim: tm.featureDim };
  const loss = supervisedLoss(ctx, built);
  try {
    const run = await runTraining(ctx, {
      model: built,
      groups,
      loss: (batch, info) => {
        epoch = info.epoch;
        return loss(batch, info);
      },
    });
    return { ...run, stages: plan };
  } finally {
    frozenSwitch?.remove();
  }
}
