import type { Output } from './output.js';

/**
 * Runs `work` with a signal that a Ctrl-C (SIGINT) or SIGTERM aborts, saying `notice` when it does.
 * The process keeps running, so that the work can stop at a clean point (a checkpoint).
 */
export async function interruptible<T>(out: Output, notice: string, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => {
    out.note(`\n${notice}`);
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await work(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
