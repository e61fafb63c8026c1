import { resolve } from 'node:path';
import { labelFolder, planShards, queueConnection, teacherModelDir } from '@frugal/distributed';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { isLabelLines, refuseForeignOutput } from '../output-file.js';
import { interruptible } from '../interruptible.js';
import { UsageError } from '../usage-error.js';
import { countFlag, MAX_BATCH, MAX_DECODE_THREADS, MAX_SHARD } from '../count-flag.js';
import { workProgress } from '../work-progress.js';

export interface LabelFlags {
  teacher: string;
  unlabelled: string;
  out: string;
  queue?: string;
  batchSize?: string;
  shardSize?: string;
  decodeThreads?: string;
  diskCache?: string;
  shardIndex?: string;
  backend?: string;
}

/** `frugal label --teacher RUN --unlabelled DIR --out FILE [--queue redis://HOST:PORT]`. */
export async function label(flags: LabelFlags, out: Output): Promise<number> {
  const batchSize = countFlag(flags.batchSize, '--batch-size', 64, MAX_BATCH);
  const shardSize = countFlag(flags.shardSize, '--shard-size', 1024, MAX_SHARD);
  const threads = countFlag(flags.decodeThreads, '--decode-threads', 1, MAX_DECODE_THREADS);
  let onlyShard: number | undefined;
  if (flags.shardIndex !== undefined) {
    onlyShard = Number(flags.shardIndex);
    if (flags.shardIndex.trim() === '' || !Number.isInteger(onlyShard) || onlyShard < 0) {
      throw new UsageError(`--shard-index must be a whole number ≥ 0 (a shard's number, e.g. $JOB_COMPLETION_INDEX), got "${flags.shardIndex}"`);
    }
    if (flags.queue) throw new UsageError('--shard-index labels one shard in this process; it does not go with --queue. Give one of them');
  }
  // Bad input is told before the backend starts (seconds).
  planShards(0, shardSize, batchSize);
  if (flags.queue) queueConnection(flags.queue);
  teacherModelDir(flags.teacher);
  await refuseForeignOutput(resolve(flags.out), '--out', 'a pseudo-label file frugal label wrote', isLabelLines);
  if (!flags.out.toLowerCase().endsWith('.jsonl')) {
    throw new UsageError(`--out ${flags.out}: the pseudo-labels are JSON lines, which a recipe's labels reads by this ending; give a name ending in .jsonl`);
  }
  if (!flags.queue) await activateBackend(await frugalWith(), flags.backend ?? 'auto');
  const notice = flags.queue ? 'Interrupt received: storing the shards the workers have done...' : 'Interrupt received: finishing the current shard...';
  return interruptible(out, notice, (signal) => labelWith(flags, out, { batchSize, shardSize, threads, onlyShard, signal }));
}

async function labelWith(
  flags: LabelFlags,
  out: Output,
  { batchSize, shardSize, threads, onlyShard, signal }: { batchSize: number; shardSize: number; threads: number; onlyShard: number | undefined; signal: AbortSignal },
): Promise<number> {
  const progress = workProgress('label', !out.quiet && !out.json);
  let result;
  try {
    result = await labelFolder({
      teacherDir: flags.teacher,
      unlabelledDir: flags.unlabelled,
      outFile: flags.out,
      batchSize,
      shardSize,
      threads,
      ...(flags.queue ? { queue: flags.queue } : {}),
      ...(flags.diskCache ? { diskCache: flags.diskCache } : {}),
      ...(onlyShard !== undefined ? { onlyShard } : {}),
      signal,
      onProgress: (done, total) => progress.update(done, total),
      onNotice: (message) => out.note(message),
    });
  } finally {
    progress.stop();
  }
  for (const bad of result.skipped) out.note(`Skipped image "${bad.file}": it could not be decoded (${bad.reason})`);
  if (signal.aborted && !result.joined) {
    const rest = flags.queue ? 'the queued shards stay with the workers, and the same command collects them' : 'the same command labels the rest';
    out.note(`Interrupted: ${result.labelled + result.skipped.length} of ${result.images} images are labelled, in shards kept in ${result.shardDir}; ${rest}`);
    return 130;
  }
  if (!result.joined) {
    out.result(result, () =>
      `Stored shard ${onlyShard} of ${result.shards} (${result.labelled} images labelled so far) in ${result.shardDir}; ` +
        'once every shard is stored, the same command without --shard-index joins them',
    );
    return 0;
  }
  out.result(result, () =>
    `Labelled ${result.labelled} of ${result.images} images in ${result.shards} shard${result.shards === 1 ? '' : 's'}` +
      `${result.skipped.length ? ` (${result.skipped.length} skipped)` : ''} into ${result.outFile} in ${result.seconds.toFixed(1)} s`,
  );
  return 0;
}
