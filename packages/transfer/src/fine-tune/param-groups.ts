import type { ParamGroup } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import type { Stage } from '../model/backbone-stages.js';

export interface FineTuneRates {
  readonly lrHead: number;
  /** Rate of the backbone's top stage. */
  readonly lrBackbone: number;
  /** Stage k below the top trains at `lrBackbone · layerDecay^k`. */
  readonly layerDecay: number;
  /** Gradual unfreezing: the head alone for `headEpochs`, then a stage more every `epochsPerStage`. */
  readonly unfreezing?: { readonly headEpochs: number; readonly epochsPerStage: number };
}

export interface StagePlan {
  readonly name: string;
  readonly lr: number;
  readonly fromEpoch: number;
  readonly variables: number;
}

/**
 * Discriminative learning rates as parameter groups: the head at `lrHead`, the backbone's stages
 * from the top down at `lrBackbone`, `lrBackbone · layerDecay`, `lrBackbone · layerDecay²`, ...,
 * each trained from the epoch gradual unfreezing reaches it. `stages` are ordered bottom first.
 */
export function fineTuneGroups(
  stages: readonly Stage[],
  headVariables: readonly tf.Variable[],
  rates: FineTuneRates,
): { groups: ParamGroup[]; plan: StagePlan[] } {
  const topDown = [...stages].reverse();
  const plan = topDown.map((stage, k) => ({
    name: stage.name,
    lr: rates.lrBackbone * rates.layerDecay ** k,
    fromEpoch: rates.unfreezing ? rates.unfreezing.headEpochs + k * rates.unfreezing.epochsPerStage : 0,
    variables: stage.variables.length,
  }));
  const groups: ParamGroup[] = [
    { name: 'head', variables: headVariables, lr: rates.lrHead },
    ...topDown.map((stage, k) => {
      const p = plan[k] as StagePlan;
      return { name: `backbone/${stage.name}`, variables: stage.variables, lr: p.lr, fromEpoch: p.fromEpoch };
    }),
  ];
  return { groups, plan };
}
