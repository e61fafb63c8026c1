import type { Job } from 'bullmq';
import { requireQueueReachable } from './queue-reachable.js';
import { queueConnection } from './queue-url.js';
import { QUEUE_NAME, type JobName } from './jobs.js';

/** A job of a sharded run, named by its shard. */
export interface ShardJob<D> {
  readonly shardId: string;
  readonly name: JobName;
  readonly data: D;
  /** Images in the shard (for progress). */
  readonly size: number;
}

export interface RunOnQueueOptions<D, R> {
  /** `redis://HOST:PORT`. */
  readonly url: string;
  /** Names this run's jobs (`<runId>-<shardId>`): the same run submitted again finds its own jobs. */
  readonly runId: string;
  /** The shards still to do. */
  readonly jobs: readonly ShardJob<D>[];
  /** Stores a shard's result (atomically); called once per shard, or again after a crash. */
  readonly complete: (shardId: string, result: R) => Promise<void>;
  /** Images done (finished shards plus the progress workers report), out of all. */
  readonly onProgress?: (done: number, total: number) => void;
  /** Told once when Redis cannot be reached, and once when it can again. */
  readonly onNotice?: (message: string) => void;
  /** Tries per shard before the run fails (default 5). */
  readonly attempts?: number;
  /** How often the queue is asked about the jobs (default 250 ms). */
  readonly pollMs?: number;
  /**
   * Stops waiting (Ctrl-C): the results in so far are stored, the other jobs stay with the workers,
   * and the same run submitted again collects them.
   */
  readonly signal?: AbortSignal;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Puts one job per shard on the queue and waits until every shard's result is stored. Workers on
 * any machine take the jobs; BullMQ retries a failed job with backoff and gives a stalled one
 * (its worker died) to another. A job missing from the queue while its result is not stored —
 * Redis restarted without its data — is put on it again; results are keyed by shard, so a shard
 * done twice is stored once. A job that had failed all its tries when the run was submitted again
 * (its cause fixed since) gets its tries afresh.
 */
export async function runOnQueue<D, R>(options: RunOnQueueOptions<D, R>): Promise<void> {
  const attempts = options.attempts ?? 5;
  const pollMs = options.pollMs ?? 250;
  const total = options.jobs.reduce((n, j) => n + j.size, 0);
  await requireQueueReachable(options.url);
  // Loaded here, not at the top: every frugal command imports this package, few use a queue.
  const { Queue } = await import('bullmq');
  const queue = new Queue(QUEUE_NAME, { connection: queueConnection(options.url) });
  queue.on('error', () => undefined); // connection errors are retried below and reported once
  const pending = new Map(options.jobs.map((j) => [`${options.runId}-${j.shardId}`, j]));
  const jobOptions = (jobId: string) => ({
    jobId,
    attempts,
    backoff: { type: 'exponential', delay: 1000 },
    removeOnComplete: false,
    removeOnFail: false,
  });
  const add = (jobId: string, job: ShardJob<D>) => queue.add(job.name, job.data, jobOptions(jobId));
  let doneImages = 0;
  let unreachable = false;
  // Jobs this submission has looked at: one that had failed before it (the run given up, then fixed and submitted again) is tried afresh.
  const seen = new Set<string>();
  try {
    for (;;) {
      try {
        let active = 0;
        for (const [jobId, shard] of [...pending]) {
          // The state first, then the job: a job read before it completes holds no return value.
          const state = await queue.getJobState(jobId);
          const job = state === 'unknown' ? undefined : ((await queue.getJob(jobId)) as Job<D, R> | undefined);
          const first = !seen.has(jobId);
          seen.add(jobId);
          if (!job) {
            await add(jobId, shard);
            continue;
          }
          if (first && state === 'failed') {
            await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
            continue;
          }
          if (state === 'completed') {
            await options.complete(shard.shardId, job.returnvalue);
            await job.remove().catch(() => undefined);
            pending.delete(jobId);
            doneImages += shard.size;
          } else if (state === 'failed' && job.attemptsMade >= attempts) {
            throw new Error(`Shard ${shard.shardId} failed on each of its ${attempts} tries; the last error: ${job.failedReason}`);
          } else if (state === 'active' && typeof job.progress === 'number') {
            active += Math.min(job.progress, shard.size);
          }
        }
        if (unreachable) options.onNotice?.('The queue is reachable again; carrying on');
        unreachable = false;
        options.onProgress?.(doneImages + active, total);
      } catch (error) {
        if (error instanceof Error && error.message.startsWith('Shard ')) throw error;
        if (!unreachable) options.onNotice?.(`The queue at ${options.url} cannot be reached (${(error as Error).message}); waiting for it`);
        unreachable = true;
      }
      if (pending.size === 0 || options.signal?.aborted) return;
      await sleep(pollMs);
    }
  } finally {
    await queue.close().catch(() => undefined);
  }
}
