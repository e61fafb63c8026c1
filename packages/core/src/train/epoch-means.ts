import type { Logs } from './callback.js';

/** Running sums of an epoch's step logs; saved in a mid-epoch checkpoint so a resumed epoch averages every step. */
export interface EpochSums {
  sums: Record<string, number>;
  count: number;
}

export function emptySums(): EpochSums {
  return { sums: {}, count: 0 };
}

/** Adds one step's logs (all but the learning rate) to the sums. */
export function addStep(partial: EpochSums, logs: Logs): void {
  for (const [name, v] of Object.entries(logs)) if (name !== 'lr') partial.sums[name] = (partial.sums[name] ?? 0) + v;
  partial.count++;
}

/** The epoch's mean of every logged number. */
export function epochMeans(partial: EpochSums, epoch: number): Logs {
  const logs: Logs = { epoch: epoch + 1 };
  for (const [name, sum] of Object.entries(partial.sums)) logs[name] = sum / Math.max(1, partial.count);
  return logs;
}
