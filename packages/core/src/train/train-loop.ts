import * as tf from '@tensorflow/tfjs-core';
import type { Batch } from '../types.js';
import type { Logs, LoopState, TrainingCallback } from './callback.js';
import { fileCheckpointStore, type CheckpointStore } from '../services/checkpoint-store.js';
import type { LoopPosition } from './checkpoint.js';
import { WeightEma } from './ema.js';
import { addStep, emptySums, epochMeans, type EpochSums } from './epoch-means.js';
import { resumeFromCheckpoint } from './loop-resume.js';
import { TrainingInterrupted, type ParamGroup, type StepInfo, type TrainLoopOptions, type TrainLoopResult } from './loop-types.js';
import { optimizerStep } from './optimizer-step.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import type { SharpnessAware } from './sam.js';
import { lrFactor } from './schedules.js';
import { setStochasticStep } from './stochastic.js';

export { NonFiniteLossError, TrainingInterrupted } from './loop-types.js';
export type { EpochSource, ParamGroup, StepInfo, TrainLoopOptions, TrainLoopResult } from './loop-types.js';

type MutableState = { -readonly [K in keyof LoopState]: LoopState[K] };

/** One run of the loop: its optimizers, weight average, position and logs. */
class LoopRun {
  readonly callbacks: readonly TrainingCallback[];
  readonly groups: readonly ParamGroup[];
  readonly optimizers: Optimizer[];
  readonly ema?: WeightEma;
  readonly sam?: SharpnessAware;
  readonly totalSteps: number;
  readonly state: MutableState;
  history: Logs[] = [];
  position: LoopPosition = { epoch: 0, stepInEpoch: 0, step: 0 };
  partial: EpochSums = emptySums();
  resumedFrom?: string;
  lastCheckpoint?: string;
  readonly store: CheckpointStore;

  constructor(readonly options: TrainLoopOptions) {
    const { model, config, data } = options;
    this.callbacks = options.callbacks ?? [];
    this.store = options.checkpoints ?? fileCheckpointStore;
    this.groups = options.groups ?? [{ name: 'all', variables: model.trainableWeights.map((w) => w.read() as tf.Variable) }];
    if (config.sam) this.sam = { rho: config.sam.rho, restore: model.nonTrainableWeights.map((w) => w.read() as tf.Variable) };
    this.optimizers = this.groups.map((g) => createOptimizer({ ...config.optimizer, ...g.optimizer }));
    this.ema = config.emaDecay ? new WeightEma(model, config.emaDecay) : undefined;
    this.totalSteps = config.epochs * data.stepsPerEpoch;
    this.state = { model, epoch: 0, step: 0, epochs: config.epochs, stepsPerEpoch: data.stepsPerEpoch, stopTraining: false };
  }

  async resume(): Promise<void> {
    const { options } = this;
    if (!options.resume || !options.checkpointDir) return;
    const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
    const parts = { model: options.model, optimizers: this.optimizers, ema: this.ema, callbacks: this.callbacks };
    const found = await resumeFromCheckpoint(this.store, options.checkpointDir, parts, log);
    if (!found) return;
    this.history = found.history;
    this.position = found.position;
    if (found.partial) this.partial = found.partial;
    this.resumedFrom = this.lastCheckpoint = found.path;
    this.state.epoch = found.position.epoch;
    this.state.step = found.position.step;
  }

  lr(step: number): number {
    const { config, data } = this.options;
    return (this.groups[0]?.lr ?? config.optimizer.lr) * lrFactor(config.schedule, step, this.totalSteps, data.stepsPerEpoch);
  }

  async checkpoint(at: LoopPosition, withPartial: boolean): Promise<string | undefined> {
    const { options } = this;
    if (!options.checkpointDir) return undefined;
    const callbacks: Record<string, unknown> = {};
    for (const cb of this.callbacks) if (cb.getState) callbacks[cb.name] = cb.getState();
    return this.store.save(
      options.checkpointDir,
      { ...at, history: this.history, callbacks, extra: withPartial ? { partial: this.partial } : undefined },
      { weights: options.model.weights.map((w) => w.read()), optimizers: this.optimizers.map((o) => o.getState()), ema: this.ema?.getState() },
      options.config.keepCheckpoints,
    );
  }

  /** Runs one batch; returns its logs. */
  step(batch: Batch, epoch: number, stepInEpoch: number, active: readonly boolean[]): Logs {
    const { options, state } = this;
    const { config, data } = options;
    const step = state.step;
    const tracked: Record<string, tf.Scalar | number> = {};
    const info: StepInfo = {
      epoch,
      step,
      stepInEpoch,
      rng: options.rng.child(`step-${step}`),
      track: (name, value) => {
        tracked[name] = typeof value === 'number' ? value : tf.keep(value.clone());
      },
    };
    setStochasticStep(options.model, step);
    const factor = lrFactor(config.schedule, step, this.totalSteps, data.stepsPerEpoch);
    const lastCheckpoint = this.lastCheckpoint;
    const result = optimizerStep(batch, info, {
      groups: this.groups,
      optimizers: this.optimizers,
      active,
      baseLr: config.optimizer.lr,
      lrFactor: factor,
      clipNorm: config.clipNorm,
      sam: this.sam,
      prepare: options.prepare,
      loss: options.loss,
      describe: (loss) =>
        `The loss became ${loss} at epoch ${epoch + 1}, step ${stepInEpoch + 1} of the epoch (global step ${step + 1}); training stopped. ` +
        (lastCheckpoint ? `The last good checkpoint, ${lastCheckpoint}, is kept. ` : 'No checkpoint was written before it. ') +
        `Lower the learning rate or enable gradient clipping (clipNorm).`,
    });
    if (result.gradNorm !== undefined) tracked.gradNorm = result.gradNorm;
    this.ema?.update();
    state.step = step + 1;
    const logs: Logs = { loss: result.loss, lr: (this.groups[0]?.lr ?? config.optimizer.lr) * factor };
    for (const [name, v] of Object.entries(tracked)) {
      logs[name] = typeof v === 'number' ? v : ((v.dataSync()[0] as number) ?? NaN);
      if (typeof v !== 'number') v.dispose();
    }
    return logs;
  }

  /** After a step: lets Ctrl-C handlers run, and on abort writes a checkpoint and throws. */
  async checkInterrupt(epoch: number, stepInEpoch: number): Promise<void> {
    const { signal } = this.options;
    if (!signal) return;
    // Awaiting synchronous work never yields to the event loop; this lets signal handlers run.
    await new Promise((resolve) => setImmediate(resolve));
    if (!signal.aborted) return;
    // Always within the epoch, its sums kept: one interrupted after its last step resumes by ending it (its logs, its checkpoint).
    const path = await this.checkpoint({ epoch, stepInEpoch, step: this.state.step }, true);
    throw new TrainingInterrupted(`Training interrupted at epoch ${epoch + 1}, step ${stepInEpoch}` + (path ? `; checkpoint written to ${path}` : ''), path);
  }

  async epoch(epoch: number): Promise<void> {
    const { options, state } = this;
    state.epoch = epoch;
    const skip = epoch === this.position.epoch ? this.position.stepInEpoch : 0;
    if (skip === 0) this.partial = emptySums();
    for (const cb of this.callbacks) await cb.onEpochBegin?.(state);
    const active = this.groups.map((g) => (g.fromEpoch ?? 0) <= epoch);
    let stepInEpoch = skip;
    for await (const batch of options.data.batches(epoch, skip)) {
      const logs = this.step(batch, epoch, stepInEpoch, active);
      stepInEpoch++;
      addStep(this.partial, logs);
      for (const cb of this.callbacks) await cb.onStepEnd?.(state, logs);
      await this.checkInterrupt(epoch, stepInEpoch);
      if (state.stopTraining) break;
    }
    await this.endEpoch(epoch);
  }

  async endEpoch(epoch: number): Promise<void> {
    const { options, state, ema } = this;
    const logs = epochMeans(this.partial, epoch);
    // The rate of the epoch's last step: what it trained at, not the rate the next epoch starts with (0 after a cosine's end).
    logs.lr = this.lr(Math.max(0, state.step - 1));
    if (options.validate) {
      const run = () => options.validate?.(epoch) ?? {};
      Object.assign(logs, ema ? await ema.withAveraged(run) : await run());
    }
    this.history.push(logs);
    for (const cb of this.callbacks) await cb.onEpochEnd?.(state, logs);
    const last = epoch + 1 === options.config.epochs || state.stopTraining;
    if (last || (epoch + 1) % options.config.checkpointEvery === 0) {
      this.lastCheckpoint = (await this.checkpoint({ epoch: epoch + 1, stepInEpoch: 0, step: state.step }, false)) ?? this.lastCheckpoint;
    }
  }

  dispose(): void {
    this.optimizers.forEach((o) => o.dispose());
    this.ema?.dispose();
  }
}

/**
 * The training loop every strategy composes (through the strategy kit's `runTraining`): batches ->
 * loss -> gradients (per parameter group) -> clipping -> optimizer steps with scheduled learning
 * rates -> EMA -> callbacks -> checkpoints. Every tensor a step creates is released in that step.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const run = new LoopRun(options);
  const { state } = run;
  try {
    await run.resume();
    for (const cb of run.callbacks) await cb.onTrainBegin?.(state);
    for (let epoch = run.position.epoch; epoch < options.config.epochs && !state.stopTraining; epoch++) await run.epoch(epoch);
    if (options.signal?.aborted) {
      // Interrupted during the last epoch's validation or checkpoint: the training itself is complete.
      const path = run.lastCheckpoint;
      throw new TrainingInterrupted(`Training interrupted after its last step` + (path ? `; checkpoint written to ${path}` : ''), path);
    }
    run.ema?.commit();
    const final = run.history[run.history.length - 1] ?? {};
    for (const cb of run.callbacks) await cb.onTrainEnd?.(state, final);
    return { history: run.history, steps: state.step, stopReason: state.stopReason, resumedFrom: run.resumedFrom };
  } finally {
    run.dispose();
  }
}
