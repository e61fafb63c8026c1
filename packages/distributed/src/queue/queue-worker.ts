import type { Job } from 'bullmq';
import { DecodePool } from '@frugal/data';
import { evalRange } from '../eval/eval-range.js';
import { labelRange } from '../label/label-range.js';
import { TeacherMismatchError } from '../teacher/teacher-mismatch.js';
import { loadTeacher, type Teacher } from '../teacher/teacher.js';
import { QUEUE_NAME, type EvalJobData, type LabelJobData } from './jobs.js';
import { queueConnection } from './queue-url.js';

export interface QueueWorkerOptions {
  /** `redis://HOST:PORT`. */
  readonly url: string;
  /** The teacher this worker holds; jobs for a teacher with other weights are refused. Default: each job's own run directory. */
  readonly teacherDir?: string;
  /** How long a job's lock lasts without renewal (default 30 s): a worker that dies loses its job to another after this. */
  readonly lockDurationMs?: number;
  /** Decoding threads (default 1). */
  readonly threads?: number;
  /** Runs jobs of other names (a sweep's training runs): the job's data in, its result out. */
  readonly handlers?: Readonly<Record<string, (data: unknown, job: Job) => Promise<unknown>>>;
  /** Told of each job done or failed. */
  readonly onLog?: (message: string) => void;
}

export interface QueueWorker {
  /** Resolves when the worker stops: after `close()`, or with the refusal when it met a job for another teacher. */
  readonly done: Promise<{ refused?: TeacherMismatchError }>;
  close(): Promise<void>;
}

/**
 * Takes label and eval jobs from the queue, one at a time, until closed. Each job's result goes
 * back through the queue to the coordinator, which stores it under the job's shard id.
 */
export async function startQueueWorker(options: QueueWorkerOptions): Promise<QueueWorker> {
  // Loaded here, not at the top: every frugal command imports this package, few use a queue.
  const { DelayedError, Worker } = await import('bullmq');
  const log = options.onLog ?? (() => undefined);
  const teachers = new Map<string, Promise<Teacher>>();
  const pool = new DecodePool(options.threads ?? 1);
  let refused: TeacherMismatchError | undefined;
  let resolveDone: (value: { refused?: TeacherMismatchError }) => void = () => undefined;
  const done = new Promise<{ refused?: TeacherMismatchError }>((resolve) => (resolveDone = resolve));

  const teacherFor = async (job: Job<LabelJobData | EvalJobData>, token: string | undefined): Promise<Teacher> => {
    const dir = options.teacherDir ?? job.data.teacherDir;
    let loading = teachers.get(dir);
    if (!loading) {
      loading = loadTeacher(dir);
      teachers.set(dir, loading);
    }
    const teacher = await loading;
    if (teacher.weightsHash !== job.data.teacherHash) {
      refused = new TeacherMismatchError(dir, teacher.weightsHash, job.data.teacherHash);
      // Back on the queue for another worker, without spending one of the job's tries.
      await job.moveToDelayed(Date.now() + 200, token);
      setImmediate(() => void close());
      throw new DelayedError();
    }
    return teacher;
  };

  const worker = new Worker(
    QUEUE_NAME,
    async (job: Job, token?: string): Promise<unknown> => {
      if (job.name === 'label') {
        const data = job.data as LabelJobData;
        const teacher = await teacherFor(job as Job<LabelJobData>, token);
        return labelRange(teacher, data.root, data.entries, { batchSize: data.batchSize, pool, onProgress: (n) => job.updateProgress(n) });
      }
      if (job.name === 'eval') {
        const data = job.data as EvalJobData;
        const teacher = await teacherFor(job as Job<EvalJobData>, token);
        return evalRange(teacher, data.root, data.entries, data.labels, { batchSize: data.batchSize, pool, onProgress: (n) => job.updateProgress(n) });
      }
      const handler = options.handlers?.[job.name];
      if (handler) return handler(job.data, job);
      throw new Error(`Unknown job "${job.name}"; this worker runs ${['label', 'eval', ...Object.keys(options.handlers ?? {})].join(', ')} jobs (update it to the coordinator's version)`);
    },
    {
      connection: queueConnection(options.url),
      concurrency: 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.lockDurationMs ?? 30_000,
      maxStalledCount: 5,
    },
  );
  worker.on('active', (job) => log(`${job.id}: started${job.name === 'sweep' ? '' : ` (${(job.data as LabelJobData).entries.length} images)`}`));
  worker.on('progress', (job, progress) => log(`${job.id}: ${String(progress)} images`));
  worker.on('completed', (job) => log(`${job.id}: done`));
  worker.on('failed', (job, error) => {
    if (!(error instanceof DelayedError)) log(`${job?.id ?? 'a job'}: failed (${error.message})`);
  });
  worker.on('error', () => undefined); // connection errors: ioredis reconnects

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      await worker.close();
      await pool.close();
      for (const loading of teachers.values()) (await loading.catch(() => undefined))?.model.dispose();
      resolveDone(refused ? { refused } : {});
    })();
    return closing;
  };
  return { done, close };
}
