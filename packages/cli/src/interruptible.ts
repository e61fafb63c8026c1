import type { Output } from './output.js';

/**
 * Runs `work` with a signal that a Ctrl-C (SIGINT) or SIGTERM aborts, saying `notice` when it does.
 * The process keeps running, so that the work can stop at a clean point (a checkpoint). The handlers
 * are removed at the first signal: a second one ends the process at once, as Node does by default.
 */
export async function interruptible<T>(out: Output, notice: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stopListening = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  function onSignal(): void {
    stopListening();
    out.note(`\n${notice} (interrupt again to stop at once)`);
    controller.abort();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    stopListening();
  }
}
