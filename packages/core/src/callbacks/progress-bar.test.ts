import { describe, expect, it } from 'vitest';
import type { LoopState } from '../train/callback.js';
import { progressBar } from './progress-bar.js';

/** A stream that is not a terminal, keeping what is written. */
function lines(): { stream: NodeJS.WriteStream; written: string[] } {
  const written: string[] = [];
  return { stream: { isTTY: false, write: (s: string) => (written.push(s), true) } as unknown as NodeJS.WriteStream, written };
}

/** Epochs `from`..`to` (0-based) of `epochs` with 10 steps each, every step taking `msPerStep` on the clock. */
function train(bar: ReturnType<typeof progressBar>, clock: { ms: number }, epochs: number, from = 0, msPerStep = 100, firstStep = from * 10): void {
  const state = { epoch: from, step: firstStep, epochs, stepsPerEpoch: 10, stopTraining: false } as LoopState;
  bar.onTrainBegin?.(state);
  for (let epoch = from; epoch < epochs; epoch++) {
    Object.assign(state, { epoch });
    bar.onEpochBegin?.(state);
    while (state.step < (epoch + 1) * 10) {
      clock.ms += msPerStep;
      Object.assign(state, { step: state.step + 1 });
      bar.onStepEnd?.(state, { loss: 1 });
    }
    bar.onEpochEnd?.(state, { loss: 0.5 });
  }
}

describe('the progress bar', () => {
  it("ends each epoch's line with its time and, ten seconds or more ahead, when the last epoch should end", () => {
    const { stream, written } = lines();
    const clock = { ms: 0 };
    train(progressBar({ stream, now: () => clock.ms }), clock, 4, 0, 500);
    expect(written).toEqual([
      'epoch 1/4  loss 0.5000  5.0 s (epoch 4 in about 15 s)\n',
      'epoch 2/4  loss 0.5000  5.0 s (epoch 4 in about 10 s)\n',
      // under ten seconds ahead, no estimate
      'epoch 3/4  loss 0.5000  5.0 s\n',
      'epoch 4/4  loss 0.5000  5.0 s\n',
    ]);
  });

  it('gives minutes past two, from the steps this process ran: a resumed run counts from where it resumed', () => {
    const { stream, written } = lines();
    const clock = { ms: 0 };
    // Resumed at step 5 of epoch 2 of 40: 5 steps of 3 s there, then 30 s an epoch; 38 epochs left.
    train(progressBar({ stream, now: () => clock.ms }), clock, 40, 1, 3000, 15);
    expect(written[0]).toBe('epoch 2/40  loss 0.5000  15.0 s (epoch 40 in about 19 min)\n');
    expect(written.at(-1)).toBe('epoch 40/40  loss 0.5000  30.0 s\n');
  });

  it('starts its clock again for the next training of a run', () => {
    const { stream, written } = lines();
    const clock = { ms: 0 };
    const bar = progressBar({ stream, now: () => clock.ms });
    train(bar, clock, 1, 0, 3000);
    train(bar, clock, 2, 0, 1000);
    expect(written).toEqual(['epoch 1/1  loss 0.5000  30.0 s\n', 'epoch 1/2  loss 0.5000  10.0 s (epoch 2 in about 10 s)\n', 'epoch 2/2  loss 0.5000  10.0 s\n']);
  });

  it('prints nothing when quiet', () => {
    const { stream, written } = lines();
    train(progressBar({ stream, quiet: true }), { ms: 0 }, 2);
    expect(written).toEqual([]);
  });
});
