import cliProgress from 'cli-progress';

/** A progress bar with an ETA over the work done by every worker (images, runs); drawn only on a terminal. */
export function workProgress(label: string, enabled: boolean, unit = 'images', stream: NodeJS.WriteStream = process.stderr) {
  if (!enabled || stream.isTTY !== true) return { update: (_done: number, _total: number) => undefined, stop: () => undefined };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`, stream, hideCursor: true, etaBuffer: 20 },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) bar.start(total, done);
      started = true;
      bar.update(done);
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
