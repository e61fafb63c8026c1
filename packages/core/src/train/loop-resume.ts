import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Logs, TrainingCallback } from './callback.js';
import type { CheckpointStore } from '../services/checkpoint-store.js';
import { restoreWeights, type LoopPosition } from './checkpoint.js';
import type { WeightEma } from './ema.js';
import type { EpochSums } from './epoch-means.js';
import type { Optimizer } from './optimizers.js';

export interface Resumed {
  readonly history: Logs[];
  readonly position: LoopPosition;
  readonly partial?: EpochSums;
  readonly path: string;
}

/**
 * Restores the newest readable checkpoint of `dir` into the model, the optimizers, the weight
 * average and the callbacks; says which unreadable ones it passed over. Undefined when there is none.
 */
export async function resumeFromCheckpoint(
  store: CheckpointStore,
  dir: string,
  parts: { model: LayersModel; optimizers: readonly Optimizer[]; ema?: WeightEma; callbacks: readonly TrainingCallback[] },
  log: (message: string) => void,
): Promise<Resumed | undefined> {
  const found = await store.loadLatest(dir);
  if (!found) return undefined;
  for (const reason of found.skipped) log(`Passed over a checkpoint: ${reason}`);
  if (found.skipped.length) log(`Resuming from the earlier checkpoint ${found.path}`);
  const { weights, optimizers, ema } = found.tensors;
  restoreWeights(parts.model, weights, found.path);
  optimizers.forEach((state, i) => parts.optimizers[i]?.setState(state));
  if (ema) parts.ema?.setState(ema);
  tf.dispose([...weights, ...(ema ?? [])]);
  optimizers.forEach((o) => tf.dispose(Object.values(o.tensors)));
  const { state } = found;
  for (const cb of parts.callbacks) if (cb.setState && cb.name in state.callbacks) cb.setState(state.callbacks[cb.name]);
  const extra = state.extra as { partial?: EpochSums } | undefined;
  return {
    history: state.history,
    position: { epoch: state.epoch, stepInEpoch: state.stepInEpoch, step: state.step },
    partial: extra?.partial,
    path: found.path,
  };
}
