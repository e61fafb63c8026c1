import type { TrainingCallback } from '../train/callback.js';

export interface EarlyStoppingOptions {
  /** Epoch log to watch, e.g. `valAccuracy` or `valLoss`. */
  monitor?: string;
  mode?: 'min' | 'max';
  patience: number;
  minDelta?: number;
}

/**
 * Stops training when `monitor` has not improved for `patience` epochs. State goes into checkpoints;
 * each training of a run (a warm-up, then the main training; a generation's student) starts afresh.
 */
export function earlyStopping(options: EarlyStoppingOptions): TrainingCallback {
  const monitor = options.monitor ?? 'valLoss';
  const mode = options.mode ?? (monitor.toLowerCase().includes('loss') ? 'min' : 'max');
  const minDelta = options.minDelta ?? 0;
  let best = mode === 'min' ? Infinity : -Infinity;
  let wait = 0;
  return {
    name: 'early-stopping',
    onEpochEnd(state, logs) {
      const value = logs[monitor];
      if (value === undefined) {
        throw new Error(`Early stopping watches "${monitor}", which the epoch logs do not have (they have: ${Object.keys(logs).join(', ')})`);
      }
      const improved = mode === 'min' ? value < best - minDelta : value > best + minDelta;
      if (improved) {
        best = value;
        wait = 0;
      } else if (++wait >= options.patience) {
        state.stopTraining = true;
        state.stopReason = `${monitor} did not improve for ${options.patience} epochs (best ${best.toFixed(4)})`;
      }
    },
    onTrainEnd() {
      best = mode === 'min' ? Infinity : -Infinity;
      wait = 0;
    },
    getState: () => ({ best, wait }),
    setState(saved) {
      ({ best, wait } = saved as { best: number; wait: number });
    },
  };
}
