import { SingleBar, Presets } from 'cli-progress';
import type { Logs, LoopState, TrainingCallback } from '../train/callback.js';

/**
 * A progress bar with ETA per epoch (cli-progress). Quiet when the stream is not a TTY or when
 * `quiet`; then one line per epoch is printed instead (unless quiet).
 */
export function progressBar(options: { stream?: NodeJS.WriteStream; quiet?: boolean; label?: string } = {}): TrainingCallback {
  const stream = options.stream ?? process.stderr;
  const tty = Boolean(stream.isTTY) && !options.quiet;
  let bar: SingleBar | undefined;
  const label = options.label ? `${options.label} ` : '';
  return {
    name: 'progress-bar',
    onEpochBegin(state: LoopState) {
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
      stream.write(`${label}epoch ${state.epoch + 1}/${state.epochs}  ${parts.join('  ')}\n`);
    },
    onTrainEnd() {
      bar?.stop();
    },
  };
}
