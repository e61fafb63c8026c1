import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Rng } from '../rng.js';
import type { Batch } from '../types.js';
import type { Logs, LoopState, TrainingCallback } from './callback.js';
import { loadLatestCheckpoint, restoreWeights, saveCheckpoint, type LoopPosition } from './checkpoint.js';
import { WeightEma } from './ema.js';
import { clipByGlobalNorm } from './gradients.js';
import { createOptimizer, type Optimizer } from './optimizers.js';
import { lrFactor } from './schedules.js';
import { setStochasticStep } from './stochastic.js';
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
  batches(epoch: number, skip: number): Iterable<Batch>;
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

function allTrainable(model: LayersModel): ParamGroup[] {
  return [{ name: 'all', variables: model.trainableWeights.map((w) => w.read() as tf.Variable) }];
}

/**
 * The training loop every strategy composes: batches -> loss -> gradients (per parameter group)
 * -> clipping -> optimizer steps with scheduled learning rates -> EMA -> callbacks -> checkpoints.
 * Every tensor a step creates is released in that step.
 */
export async function trainLoop(options: TrainLoopOptions): Promise<TrainLoopResult> {
  const { model, config, data, rng } = options;
  const callbacks = options.callbacks ?? [];
  const groups = options.groups ?? allTrainable(model);
  const optimizers: Optimizer[] = groups.map((g) => createOptimizer({ ...config.optimizer, ...g.optimizer }));
  const ema = config.emaDecay ? new WeightEma(model, config.emaDecay) : undefined;
  const totalSteps = config.epochs * data.stepsPerEpoch;
  let history: Logs[] = [];
  let position: LoopPosition = { epoch: 0, stepInEpoch: 0, step: 0 };
  let resumedFrom: string | undefined;
  let lastCheckpoint: string | undefined;
  let partial: { sums: Record<string, number>; count: number } = { sums: {}, count: 0 };

  if (options.resume && options.checkpointDir) {
    const found = await loadLatestCheckpoint(options.checkpointDir);
    if (found) {
      const log = options.log ?? ((m: string) => process.stderr.write(`${m}\n`));
      for (const reason of found.skipped) log(`Passed over a checkpoint: ${reason}`);
      if (found.skipped.length) log(`Resuming from the earlier checkpoint ${found.path}`);
      restoreWeights(model, found.tensors.weights, found.path);
      found.tensors.optimizers.forEach((state, i) => optimizers[i]?.setState(state));
      if (found.tensors.ema) ema?.setState(found.tensors.ema);
      tf.dispose([...found.tensors.weights, ...(found.tensors.ema ?? [])]);
      found.tensors.optimizers.forEach((o) => tf.dispose(Object.values(o.tensors)));
      history = found.state.history;
      position = { epoch: found.state.epoch, stepInEpoch: found.state.stepInEpoch, step: found.state.step };
      const extra = found.state.extra as { partial?: typeof partial } | undefined;
      if (extra?.partial) partial = extra.partial;
      for (const cb of callbacks) if (cb.setState && cb.name in found.state.callbacks) cb.setState(found.state.callbacks[cb.name]);
      resumedFrom = found.path;
      lastCheckpoint = found.path;
    }
  }

  const state: LoopState = {
    model,
    epoch: position.epoch,
    step: position.step,
    epochs: config.epochs,
    stepsPerEpoch: data.stepsPerEpoch,
    stopTraining: false,
  };
  const mutable = state as { -readonly [K in keyof LoopState]: LoopState[K] };

  const checkpoint = async (at: LoopPosition, withPartial: boolean): Promise<string | undefined> => {
    if (!options.checkpointDir) return undefined;
    const cbState: Record<string, unknown> = {};
    for (const cb of callbacks) if (cb.getState) cbState[cb.name] = cb.getState();
    return saveCheckpoint(
      options.checkpointDir,
      { ...at, history, callbacks: cbState, extra: withPartial ? { partial } : undefined },
      {
        weights: model.weights.map((w) => w.read()),
        optimizers: optimizers.map((o) => o.getState()),
        ema: ema?.getState(),
      },
      config.keepCheckpoints,
    );
  };

  for (const cb of callbacks) await cb.onTrainBegin?.(state);

  try {
    for (let epoch = position.epoch; epoch < config.epochs && !state.stopTraining; epoch++) {
      mutable.epoch = epoch;
      const skip = epoch === position.epoch ? position.stepInEpoch : 0;
      if (skip === 0) partial = { sums: {}, count: 0 };
      for (const cb of callbacks) await cb.onEpochBegin?.(state);
      const active = groups.map((g) => (g.fromEpoch ?? 0) <= epoch);
      const activeVars = groups.filter((_, i) => active[i]).flatMap((g) => g.variables);
      let stepInEpoch = skip;
      for (const batch of data.batches(epoch, skip)) {
        const step = state.step;
        const tracked: Record<string, tf.Scalar | number> = {};
        const info: StepInfo = {
          epoch,
          step,
          stepInEpoch,
          rng: rng.child(`step-${step}`),
          track: (name, value) => {
            tracked[name] = typeof value === 'number' ? value : tf.keep(value.clone());
          },
        };
        setStochasticStep(model, step);
        const factor = lrFactor(config.schedule, step, totalSteps, data.stepsPerEpoch);
        let lossValue: number;
        let prepared = batch;
        try {
          if (options.prepare) prepared = tf.tidy(() => options.prepare!(batch, info) as never) as Batch;
          const { value, grads } = tf.variableGrads(() => options.loss(prepared, info), activeVars);
          lossValue = value.dataSync()[0] as number;
          value.dispose();
          if (!Number.isFinite(lossValue)) {
            tf.dispose(Object.values(grads));
            throw new NonFiniteLossError(
              `The loss became ${lossValue} at epoch ${epoch + 1}, step ${stepInEpoch + 1} of the epoch (global step ${step + 1}); ` +
                `training stopped. ` +
                (lastCheckpoint
                  ? `The last good checkpoint, ${lastCheckpoint}, is kept. `
                  : 'No checkpoint was written before it. ') +
                `Lower the learning rate or enable gradient clipping (clipNorm).`,
            );
          }
          const present = activeVars.filter((v) => grads[v.name]);
          let list = present.map((v) => grads[v.name] as tf.Tensor);
          let norm: number | undefined;
          if (config.clipNorm) {
            const clipped = clipByGlobalNorm(list, config.clipNorm);
            tf.dispose(list);
            list = clipped.grads;
            norm = clipped.norm;
          }
          const byVar = new Map(present.map((v, i) => [v.name, list[i] as tf.Tensor]));
          groups.forEach((g, gi) => {
            if (!active[gi]) return;
            const indices = g.variables.map((_, i) => i).filter((i) => byVar.has((g.variables[i] as tf.Variable).name));
            const vars = indices.map((i) => g.variables[i] as tf.Variable);
            const lr = (g.lr ?? config.optimizer.lr) * factor;
            (optimizers[gi] as Optimizer).step(vars, vars.map((v) => byVar.get(v.name) as tf.Tensor), lr, indices.map(String));
          });
          tf.dispose(list);
          if (norm !== undefined) tracked.gradNorm = norm;
        } finally {
          tf.dispose([batch.x, batch.y, prepared.x, prepared.y]);
        }
        ema?.update();
        mutable.step = step + 1;
        stepInEpoch++;
        const logs: Logs = { loss: lossValue, lr: (groups[0]?.lr ?? config.optimizer.lr) * factor };
        for (const [name, v] of Object.entries(tracked)) {
          logs[name] = typeof v === 'number' ? v : ((v.dataSync()[0] as number) ?? NaN);
          if (typeof v !== 'number') v.dispose();
        }
        for (const [name, v] of Object.entries(logs)) if (name !== 'lr') partial.sums[name] = (partial.sums[name] ?? 0) + v;
        partial.count++;
        for (const cb of callbacks) await cb.onStepEnd?.(state, logs);
        // Let signal handlers (Ctrl-C) run between steps: awaiting synchronous work never yields to the event loop.
        if (options.signal) await new Promise((resolve) => setImmediate(resolve));
        if (options.signal?.aborted) {
          const at = { epoch, stepInEpoch, step: state.step };
          const path = await checkpoint(
            stepInEpoch >= data.stepsPerEpoch ? { epoch: epoch + 1, stepInEpoch: 0, step: state.step } : at,
            stepInEpoch < data.stepsPerEpoch,
          );
          throw new TrainingInterrupted(
            `Training interrupted at epoch ${epoch + 1}, step ${stepInEpoch}` +
              (path ? `; checkpoint written to ${path}` : ''),
            path,
          );
        }
        if (state.stopTraining) break;
      }
      const epochLogs: Logs = { epoch: epoch + 1 };
      for (const [name, sum] of Object.entries(partial.sums)) epochLogs[name] = sum / Math.max(1, partial.count);
      epochLogs.lr = (groups[0]?.lr ?? config.optimizer.lr) * lrFactor(config.schedule, state.step, totalSteps, data.stepsPerEpoch);
      if (options.validate) {
        const run = () => options.validate?.(epoch) ?? {};
        Object.assign(epochLogs, ema ? await ema.withAveraged(run) : await run());
      }
      history.push(epochLogs);
      for (const cb of callbacks) await cb.onEpochEnd?.(state, epochLogs);
      const last = epoch + 1 === config.epochs || state.stopTraining;
      if (last || (epoch + 1) % config.checkpointEvery === 0) {
        lastCheckpoint = (await checkpoint({ epoch: epoch + 1, stepInEpoch: 0, step: state.step }, false)) ?? lastCheckpoint;
      }
    }
    if (options.signal?.aborted) {
      // Interrupted during the last epoch's validation or checkpoint: the training itself is complete.
      throw new TrainingInterrupted(
        `Training interrupted after its last step` + (lastCheckpoint ? `; checkpoint written to ${lastCheckpoint}` : ''),
        lastCheckpoint,
      );
    }
    if (ema) ema.commit();
    const final = history[history.length - 1] ?? {};
    for (const cb of callbacks) await cb.onTrainEnd?.(state, final);
    return { history, steps: state.step, stopReason: state.stopReason, resumedFrom };
  } finally {
    optimizers.forEach((o) => o.dispose());
    ema?.dispose();
  }
}
