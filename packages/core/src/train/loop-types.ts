import type * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import type { CheckpointStore } from '../services/checkpoint-store.js';
import type { Batch } from '../types.js';
import type { Logs, TrainingCallback } from './callback.js';
import type { OptimizerConfig, TrainConfig } from './train-config.js';

/** Variables trained with one optimizer and one learning rate. */
export interface ParamGroup {
  readonly name: string;
  readonly variables: readonly tf.Variable[];
  /** Base learning rate of this group; default: the recipe's `optimizer.lr`. */
  readonly lr?: number;
  /** Overrides of the recipe's optimizer settings for this group. */
  readonly optimizer?: Partial<OptimizerConfig>;
  /** Epoch from which this group trains (gradual unfreezing); default 0. */
  readonly fromEpoch?: number;
}

/** What the loss function knows about the step it computes. */
export interface StepInfo {
  readonly epoch: number;
  readonly step: number;
  readonly stepInEpoch: number;
  /** A random stream for this step only (augmentation, mixing): resumes reproduce it. */
  readonly rng: Rng;
  /** Reports a per-step number (e.g. accuracy) averaged into the epoch's logs. */
  track(name: string, value: tf.Scalar | number): void;
}

export interface EpochSource {
  readonly stepsPerEpoch: number;
  /** The batches of `epoch` from step `skip` on; asynchronous when they are read from disk as they are used. */
  batches(epoch: number, skip: number): Iterable<Batch> | AsyncIterable<Batch>;
}

export interface TrainLoopOptions {
  /** The model whose weights (all of them, BatchNorm statistics included) are checkpointed. */
  readonly model: LayersModel;
  /** Default: one group with every trainable weight of `model`. */
  readonly groups?: readonly ParamGroup[];
  /**
   * Work on a batch before the gradient tape opens, e.g. targets the model predicts for itself
   * (FixMatch's weak view): a forward pass here costs no backward pass. Its batch goes to `loss`.
   */
  readonly prepare?: (batch: Batch, info: StepInfo) => Batch;
  /** Forward pass + loss for one batch (runs inside `tf.variableGrads`). */
  readonly loss: (batch: Batch, info: StepInfo) => tf.Scalar;
  readonly data: EpochSource;
  readonly config: TrainConfig;
  readonly rng: Rng;
  readonly callbacks?: readonly TrainingCallback[];
  /** Validation logs at the end of every epoch (run with the EMA weights when EMA is on). */
  readonly validate?: (epoch: number) => Logs | Promise<Logs>;
  /** Checkpoints go here; absent: none are written. */
  readonly checkpointDir?: string;
  /** Where checkpoints are kept; default: folders on disk. */
  readonly checkpoints?: CheckpointStore;
  readonly resume?: boolean;
  /** Aborting writes a checkpoint at the current step and ends with `TrainingInterrupted`. */
  readonly signal?: AbortSignal;
  /** Notices (e.g. an unreadable checkpoint passed over on resume); default: stderr. */
  readonly log?: (message: string) => void;
}

export interface TrainLoopResult {
  readonly history: Logs[];
  readonly steps: number;
  readonly stopReason?: string;
  readonly resumedFrom?: string;
}

/** The loss became NaN or infinite; the last good checkpoint is kept. */
export class NonFiniteLossError extends Error {
  override readonly name = 'NonFiniteLossError';
}

/** Training was interrupted (abort signal) after writing a checkpoint. */
export class TrainingInterrupted extends Error {
  override readonly name = 'TrainingInterrupted';
  constructor(
    message: string,
    readonly checkpoint?: string,
  ) {
    super(message);
  }
}
