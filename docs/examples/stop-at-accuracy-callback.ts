// A callback as a plugin: stop training once the epoch's training accuracy reaches a target.
// Callbacks see the loop's state and each step's and epoch's logs; one that keeps state across
// epochs saves it with the checkpoint (`getState`/`setState`) so a resumed run behaves the same.
import type { FrugalPlugin, TrainingCallback } from '@frugal/core';
import { z } from 'zod';

export const stopAtAccuracyParams = z.strictObject({
  /** Stop after the first epoch whose mean training accuracy is at least this. */
  target: z.number().gt(0).max(1).default(0.99),
  /** The epoch log to watch (`valAccuracy` with a validation set). */
  monitor: z.string().min(1).default('accuracy'),
});

export function stopAtAccuracy(params: z.output<typeof stopAtAccuracyParams>): TrainingCallback {
  return {
    name: 'stop-at-accuracy',
    onEpochEnd(state, logs) {
      const value = logs[params.monitor];
      if (value !== undefined && value >= params.target) {
        state.stopTraining = true;
        state.stopReason = `${params.monitor} reached ${value.toFixed(3)} (target ${params.target})`;
      }
    },
  };
}

/** The plugin: one callback, `stop-at-accuracy`, that a recipe names under `callbacks`. */
export function stopAtAccuracyPlugin(): FrugalPlugin {
  return {
    name: '@acme/frugal-stop-at-accuracy',
    register(registry) {
      registry.callback({
        name: 'stop-at-accuracy',
        description: 'Stop training once an epoch accuracy reaches a target',
        params: stopAtAccuracyParams,
        factory: (params: z.output<typeof stopAtAccuracyParams>) => stopAtAccuracy(params),
      });
    },
  };
}
