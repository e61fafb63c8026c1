import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../types.js';
import { clipByGlobalNorm } from './gradients.js';
import { NonFiniteLossError, type ParamGroup, type StepInfo } from './loop-types.js';
import type { Optimizer } from './optimizers.js';
import { sharpnessAwareGrads, type SharpnessAware } from './sam.js';

export interface StepPlan {
  readonly groups: readonly ParamGroup[];
  readonly optimizers: readonly Optimizer[];
  /** Which groups train this epoch (gradual unfreezing). */
  readonly active: readonly boolean[];
  readonly baseLr: number;
  readonly lrFactor: number;
  readonly clipNorm?: number;
  readonly sam?: SharpnessAware;
  readonly prepare?: (batch: Batch, info: StepInfo) => Batch;
  readonly loss: (batch: Batch, info: StepInfo) => tf.Scalar;
  /** Says where the loss went non-finite and which checkpoint is kept. */
  readonly describe: (loss: number) => string;
}

/**
 * One optimisation step: prepare (outside the tape) -> loss and gradients of the active groups
 * (taken again at the moved weights with sharpness-aware minimisation) -> global-norm clipping ->
 * each group's optimizer at its scheduled learning rate. Disposes the batch.
 */
export function optimizerStep(batch: Batch, info: StepInfo, plan: StepPlan): { loss: number; gradNorm?: number } {
  const activeVars = plan.groups.filter((_, i) => plan.active[i]).flatMap((g) => g.variables);
  let prepared = batch;
  try {
    if (plan.prepare) prepared = tf.tidy(() => plan.prepare!(batch, info) as never) as Batch;
    const { value, grads } = tf.variableGrads(() => plan.loss(prepared, info), activeVars);
    const loss = value.dataSync()[0] as number;
    value.dispose();
    if (!Number.isFinite(loss)) {
      tf.dispose(Object.values(grads));
      throw new NonFiniteLossError(plan.describe(loss));
    }
    const present = activeVars.filter((v) => grads[v.name]);
    let list = present.map((v) => grads[v.name] as tf.Tensor);
    if (plan.sam) {
      // The second pass's numbers are not the step's: only the first pass tracks.
      const quiet = { ...info, track: () => {} };
      const moved = sharpnessAwareGrads(present, list, () => plan.loss(prepared, quiet), plan.sam);
      tf.dispose(list);
      list = moved;
    }
    let gradNorm: number | undefined;
    if (plan.clipNorm) {
      const clipped = clipByGlobalNorm(list, plan.clipNorm);
      tf.dispose(list);
      list = clipped.grads;
      gradNorm = clipped.norm;
    }
    const byVar = new Map(present.map((v, i) => [v.name, list[i] as tf.Tensor]));
    plan.groups.forEach((g, gi) => {
      if (!plan.active[gi]) return;
      const indices = g.variables.map((_, i) => i).filter((i) => byVar.has((g.variables[i] as tf.Variable).name));
      const vars = indices.map((i) => g.variables[i] as tf.Variable);
      const lr = (g.lr ?? plan.baseLr) * plan.lrFactor;
      (plan.optimizers[gi] as Optimizer).step(vars, vars.map((v) => byVar.get(v.name) as tf.Tensor), lr, indices.map(String));
    });
    tf.dispose(list);
    return { loss, gradNorm };
  } finally {
    tf.dispose([batch.x, batch.y, prepared.x, prepared.y]);
  }
}
