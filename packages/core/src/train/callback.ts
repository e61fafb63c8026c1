import type { LayersModel } from '@tensorflow/tfjs-layers';

/** Numbers logged at the end of a step or an epoch (loss, accuracy, learning rates, ...). */
export type Logs = Record<string, number>;

/** What callbacks see of the running loop. */
export interface LoopState {
  readonly model: LayersModel;
  /** Epoch in progress (0-based). */
  readonly epoch: number;
  /** Optimizer steps done so far, over all epochs. */
  readonly step: number;
  readonly epochs: number;
  readonly stepsPerEpoch: number;
  /** Set by a callback to end training after the current step. */
  stopTraining: boolean;
  /** Why training stopped early, when a callback stopped it. */
  stopReason?: string;
}

/**
 * Hooks into the training loop, in data-flow order. Callbacks that keep state across epochs
 * (early stopping) save and restore it with the checkpoint.
 */
export interface TrainingCallback {
  readonly name: string;
  onTrainBegin?(state: LoopState): void | Promise<void>;
  onEpochBegin?(state: LoopState): void | Promise<void>;
  onStepEnd?(state: LoopState, logs: Logs): void | Promise<void>;
  onEpochEnd?(state: LoopState, logs: Logs): void | Promise<void>;
  onTrainEnd?(state: LoopState, logs: Logs): void | Promise<void>;
  getState?(): unknown;
  setState?(state: unknown): void;
}
