import { describe, expect, it } from 'vitest';
import type { LoopState } from '../train/callback.js';
import { earlyStopping } from './early-stopping.js';

/** One training: the epochs' validation losses in turn; the epoch it stopped after (1-based), or undefined. */
function train(stop: ReturnType<typeof earlyStopping>, losses: number[]): number | undefined {
  const state = { stopTraining: false } as LoopState;
  for (const [i, valLoss] of losses.entries()) {
    stop.onEpochEnd?.(state, { valLoss });
    if (state.stopTraining) {
      stop.onTrainEnd?.(state, { valLoss });
      return i + 1;
    }
  }
  stop.onTrainEnd?.(state, {});
  return undefined;
}

describe('early stopping', () => {
  it('stops after patience epochs without improvement', () => {
    expect(train(earlyStopping({ patience: 2 }), [1, 0.8, 0.9, 0.85, 0.7])).toBe(4);
  });

  it("starts each training of a run afresh: a warm-up's best loss does not stop the training after it", () => {
    const stop = earlyStopping({ patience: 2 });
    expect(train(stop, [1, 0.5, 0.6, 0.7])).toBe(4);
    // A new network starts far above the warm-up's best and improves: it is not stopped after two epochs.
    expect(train(stop, [2, 1.5, 1.2, 1.1])).toBeUndefined();
  });

  it('carries its state through a checkpoint within one training', () => {
    const stop = earlyStopping({ patience: 2 });
    const state = { stopTraining: false } as LoopState;
    stop.onEpochEnd?.(state, { valLoss: 0.5 });
    stop.onEpochEnd?.(state, { valLoss: 0.6 });
    const resumed = earlyStopping({ patience: 2 });
    resumed.setState?.(stop.getState?.());
    resumed.onEpochEnd?.(state, { valLoss: 0.7 });
    expect(state.stopTraining).toBe(true);
  });
});
