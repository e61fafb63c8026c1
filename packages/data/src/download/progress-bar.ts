import cliProgress from 'cli-progress';

/** Progress of a byte transfer; does nothing when disabled. */
export interface ByteProgress {
  start(total: number, done: number): void;
  update(done: number): void;
  stop(): void;
}

const megabytes = (bytes: number): string => (bytes / 1048576).toFixed(1);

/**
 * A progress bar on `stream` (default stderr) for a download called `label`. Quiet unless the
 * stream is a terminal, so logs and CI output stay clean.
 */
export function byteProgress(label: string, stream: NodeJS.WriteStream = process.stderr, enabled = stream.isTTY === true): ByteProgress {
  if (!enabled) return { start() {}, update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {doneMB}/{totalMB} MB | {eta_formatted}`,
      stream,
      hideCursor: true,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  let total = 0;
  let started = false;
  return {
    start(size, done) {
      total = size;
      started = true;
      bar.start(Math.max(size, done, 1), done, { doneMB: megabytes(done), totalMB: size ? megabytes(size) : '?' });
    },
    update(done) {
      if (!started) return;
      if (!total && done > bar.getTotal()) bar.setTotal(done);
      bar.update(done, { doneMB: megabytes(done), totalMB: total ? megabytes(total) : '?' });
    },
    stop() {
      if (started) bar.stop();
      started = false;
    },
  };
}
