import { loadTeacher, queueConnection, requireQueueReachable, startQueueWorker } from '@frugal/distributed';
import { runInChild } from '../child/run-in-child.js';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import type { SweepJobData } from '../sweep/sweep-run.js';
import { countFlag, MAX_DECODE_THREADS } from '../count-flag.js';

export interface WorkerFlags {
  queue: string;
  teacher?: string;
  lockDuration?: string;
  decodeThreads?: string;
  backend?: string;
}

/**
 * `frugal worker --queue redis://HOST:PORT [--teacher RUN]`: takes label, eval and sweep jobs until
 * stopped (Ctrl-C or SIGTERM let the job in hand finish). Exits 2 when it meets a job for a
 * teacher whose weights differ from its own.
 */
export async function worker(flags: WorkerFlags, out: Output): Promise<number> {
  queueConnection(flags.queue);
  const lockDurationMs = countFlag(flags.lockDuration, '--lock-duration', 30_000, 86_400_000);
  const threads = countFlag(flags.decodeThreads, '--decode-threads', 1, MAX_DECODE_THREADS);
  await requireQueueReachable(flags.queue);
  const backend = await activateBackend(await frugalWith(), flags.backend ?? 'auto');
  // A teacher that does not load is bad input now, not a failure of every job this worker takes.
  if (flags.teacher) (await loadTeacher(flags.teacher)).model.dispose();
  const running = await startQueueWorker({
    url: flags.queue,
    lockDurationMs,
    threads,
    ...(flags.teacher ? { teacherDir: flags.teacher } : {}),
    // A sweep's run trains in a child process: this one stays free to renew the job's lock, and a
    // Ctrl-C here lets the run finish.
    handlers: {
      sweep: (data, job) =>
        runInChild('sweep', data as SweepJobData, { backend: backend.name, name: `${job.id}`, log: (line) => out.note(`${job.id}: ${line}`), detached: true }),
    },
    onLog: (message) => out.note(message),
  });
  const stop = () => void running.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  out.note(`Worker ${process.pid} on ${flags.queue} (backend ${backend.name}); Ctrl-C stops it`);
  const { refused } = await running.done;
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  if (refused) throw refused;
  return 0;
}
