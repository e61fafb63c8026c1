import { appendFileSync, existsSync, mkdirSync, statSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainingCallback } from '../train/callback.js';

/** How much of the file a checkpoint covers. */
interface MetricsState {
  readonly bytes: number;
}

/**
 * Appends one JSON line per epoch (and, with `everyStep`, per step) to `file`. A checkpoint records
 * the file's length; a run resumed from it cuts away the lines written after it, which the resumed
 * run writes again.
 */
export function metricsJsonl(file: string, options: { everyStep?: boolean; tag?: Record<string, unknown> } = {}): TrainingCallback {
  const write = (record: Record<string, unknown>) => {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify({ ...options.tag, ...record, time: new Date().toISOString() })}\n`);
  };
  const length = () => (existsSync(file) ? statSync(file).size : 0);
  return {
    name: 'metrics-jsonl',
    onStepEnd(state, logs) {
      if (options.everyStep) write({ kind: 'step', epoch: state.epoch + 1, step: state.step, ...logs });
    },
    onEpochEnd(state, logs) {
      write({ kind: 'epoch', step: state.step, ...logs });
    },
    getState: (): MetricsState => ({ bytes: length() }),
    setState(state) {
      const { bytes } = state as MetricsState;
      if (length() > bytes) truncateSync(file, bytes);
    },
  };
}
