import { SingleBar, Presets } from 'cli-progress';
import type { Logs, LoopState, TrainingCallback } from '../train/callback.js';

/** Seconds as the epoch lines give them: seconds below two minutes, then minutes. */
function roughly(seconds: number): string {
  return seconds < 120 ? `${Math.round(seconds)} s` : `${Math.round(seconds / 60)} min`;
}

/**
 * A progress bar with ETA per epoch (cli-progress). Quiet when the stream is not a TTY or when
 * `quiet`; then one line per epoch is printed instead (unless quiet). Each epoch's line ends with
 * the epoch's time and, ten seconds or more ahead, when the last epoch should end, from the
 * seconds a step has taken in this process so far (a resumed run counts from where it resumed;
 * each training of a run from its own start). `now` (milliseconds) is the clock, for tests.
 */
export function progressBar(options: { stream?: NodeJS.WriteStream; quiet?: boolean; label?: string; now?: () => number } = {}): TrainingCallback {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? (() => performance.now());
  const tty = Boolean(stream.isTTY) && !options.quiet;
  let bar: SingleBar | undefined;
  const label = options.label ? `${options.label} ` : '';
  // When this training's first epoch in this process began, and at which step; when the current epoch began.
  let first: { ms: number; step: number } | undefined;
  let epochStart: number | undefined;
  const timing = (state: LoopState): string => {
    if (!first || epochStart === undefined) return '';
    const t = now();
    const epochSeconds = (t - epochStart) / 1000;
    const stepsDone = state.step - first.step;
    const stepsLeft = state.epochs * state.stepsPerEpoch - state.step;
    const secondsLeft = stepsDone > 0 ? (((t - first.ms) / 1000) * stepsLeft) / stepsDone : 0;
    const left = secondsLeft >= 10 ? ` (epoch ${state.epochs} in about ${roughly(secondsLeft)})` : '';
    return `  ${epochSeconds.toFixed(1)} s${left}`;
  };
  return {
    name: 'progress-bar',
    // A run may train more than once (a warm-up, then the strategy's training): each has its own clock.
    onTrainBegin() {
      first = undefined;
    },
    onEpochBegin(state: LoopState) {
      epochStart = now();
      first ??= { ms: epochStart, step: state.step };
      if (!tty) return;
      bar = new SingleBar(
        {
          stream,
          format: `${label}epoch ${state.epoch + 1}/${state.epochs} {bar} {value}/{total} | loss {loss} | ETA {eta_formatted}`,
          hideCursor: true,
          clearOnComplete: true,
        },
        Presets.shades_classic,
      );
      bar.start(state.stepsPerEpoch, state.step % state.stepsPerEpoch, { loss: '-' });
    },
    onStepEnd(_state, logs: Logs) {
      bar?.increment(1, { loss: (logs.loss ?? NaN).toFixed(4) });
    },
    onEpochEnd(state, logs: Logs) {
      bar?.stop();
      bar = undefined;
      if (options.quiet) return;
      const parts = Object.entries(logs)
        .filter(([k]) => k !== 'epoch')
        .map(([k, v]) => `${k} ${k === 'lr' ? v.toExponential(2) : v.toFixed(4)}`);
      stream.write(`${label}epoch ${state.epoch + 1}/${state.epochs}  ${parts.join('  ')}${timing(state)}\n`);
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}
