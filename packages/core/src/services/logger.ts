/** Where a run's notices go (what it trains, checkpoints passed over, per-generation results). */
export interface Logger {
  log(message: string): void;
}

/** The default: one line per notice on stderr. */
export const stderrLogger: Logger = {
  log: (message) => void process.stderr.write(`${message}\n`),
};
