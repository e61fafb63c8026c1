import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TrainingCallback } from '../train/callback.js';

/** Appends one JSON line per epoch (and, with `everyStep`, per step) to `file`. */
export function metricsJsonl(file: string, options: { everyStep?: boolean; tag?: Record<string, unknown> } = {}): TrainingCallback {
  const write = (record: Record<string, unknown>) => {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, `${JSON.stringify({ ...options.tag, ...record, time: new Date().toISOString() })}\n`);
  };
  return {
    name: 'metrics-jsonl',
    onStepEnd(state, logs) {
      if (options.everyStep) write({ kind: 'step', epoch: state.epoch + 1, step: state.step, ...logs });
    },
    onEpochEnd(state, logs) {
      write({ kind: 'epoch', step: state.step, ...logs });
    },
  };
}
