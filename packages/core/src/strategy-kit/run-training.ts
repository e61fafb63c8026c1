import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { join } from 'node:path';
import type { Rng } from '../rng.js';
import type { Logs, TrainingCallback } from '../train/callback.js';
import type { EpochSource, ParamGroup, StepInfo, TrainLoopResult } from '../train/loop-types.js';
import type { StrategyContext } from '../train/strategy.js';
import type { TrainConfig } from '../train/train-config.js';
import { trainLoop } from '../train/train-loop.js';
import { CHECKPOINT_STORE } from '../tokens.js';
import type { Batch, BuiltModel } from '../types.js';
import { labelledBatches } from './run-data.js';
import { validationLogs } from './run-evaluation.js';

/** What a strategy says about one training; `runTraining` wires the rest from the context. */
export interface TrainingPlan {
  /** The model trained: validated as `model.model`, trained and checkpointed as `network`. */
  readonly model: BuiltModel;
  /** The network the loop trains and checkpoints; default: `model.trainingModel ?? model.model`. */
  readonly network?: LayersModel;
  /** Forward pass + loss for one batch (runs inside the gradient tape). */
  readonly loss: (batch: Batch, info: StepInfo) => tf.Scalar;
  /** Work on a batch before the gradient tape opens (e.g. pseudo-labels from a forward pass). */
  readonly prepare?: (batch: Batch, info: StepInfo) => Batch;
  /** Default: the labelled images, shuffled from `stream`. */
  readonly data?: EpochSource;
  /** Default: every trainable weight of `network` at the recipe's learning rate. */
  readonly groups?: readonly ParamGroup[];
  /** This training's random stream: shuffling from its `shuffle` child, steps from its `steps` child. Default: `ctx.rng`. */
  readonly stream?: Rng;
  /** Folder under the run directory whose `checkpoints/` this training writes; default: the run directory itself. */
  readonly folder?: string;
  /** Overrides of the recipe's training settings (e.g. a warm-up's epochs). */
  readonly train?: Partial<TrainConfig>;
  /** Callbacks after the run's own. */
  readonly callbacks?: readonly TrainingCallback[];
  /** Default: `ctx.resume`. */
  readonly resume?: boolean;
  /** Per-epoch validation logs; default: `model.model` on the validation set (when the run has one). */
  readonly validate?: (epoch: number) => Logs | Promise<Logs>;
}

/**
 * The strategy kit's one entry to the training loop: the context's random streams, callbacks,
 * checkpoint folder, resume, abort signal, log and validation wired to the plan's loss and data.
 */
export function runTraining(ctx: StrategyContext, plan: TrainingPlan): Promise<TrainLoopResult> {
  const stream = plan.stream ?? ctx.rng;
  return trainLoop({
    model: plan.network ?? plan.model.trainingModel ?? plan.model.model,
    groups: plan.groups,
    data: plan.data ?? labelledBatches(ctx, stream),
    config: plan.train ? { ...ctx.train, ...plan.train } : ctx.train,
    rng: stream.child('steps'),
    callbacks: plan.callbacks ? [...ctx.callbacks, ...plan.callbacks] : ctx.callbacks,
    checkpointDir: ctx.runDir ? join(ctx.runDir, plan.folder ?? '', 'checkpoints') : undefined,
    checkpoints: ctx.frugal.resolve(CHECKPOINT_STORE),
    resume: plan.resume ?? ctx.resume,
    signal: ctx.signal,
    log: ctx.log,
    prepare: plan.prepare,
    loss: plan.loss,
    validate: plan.validate ?? validationLogs(ctx, plan.model.model),
  });
}
