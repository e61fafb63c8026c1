/** Work that may start once the work at the positions it names is done. */
export interface Ordered {
  readonly after: readonly number[];
}

/**
 * Runs every task once the tasks it waits for are done, at most `concurrency` at a time; of the
 * tasks ready, the earliest in the list starts first (with a concurrency of 1, the list's order).
 * The first failure stops it: nothing more starts, `signal` tells the running tasks to stop, and
 * once they have, it rejects with that failure. The results are in the list's order.
 */
export function runScheduled<T extends Ordered, R>(tasks: readonly T[], concurrency: number, run: (task: T, signal: AbortSignal) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(tasks.length);
  const state: ('waiting' | 'running' | 'done')[] = tasks.map(() => 'waiting');
  const stop = new AbortController();
  return new Promise((resolve, reject) => {
    let running = 0;
    let done = 0;
    let failure: { error: unknown } | undefined;
    const ready = (task: T) => task.after.every((at) => state[at] === 'done');
    const next = () => {
      if (stop.signal.aborted) return;
      if (done === tasks.length) return resolve(results);
      for (const [i, task] of tasks.entries()) {
        if (running >= concurrency) break;
        if (state[i] !== 'waiting' || !ready(task)) continue;
        state[i] = 'running';
        running++;
        run(task, stop.signal).then(
          (result) => {
            results[i] = result;
            state[i] = 'done';
            running--;
            done++;
            if (failure && running === 0) reject(failure.error);
            next();
          },
          (error: unknown) => {
            failure ??= { error };
            stop.abort();
            if (--running === 0) reject(failure.error);
          },
        );
      }
      if (running === 0 && done < tasks.length) {
        stop.abort();
        reject(new Error('Some tasks wait for tasks that never run (a cycle, or a position out of the list)'));
      }
    };
    next();
  });
}
