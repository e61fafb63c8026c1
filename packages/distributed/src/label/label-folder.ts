import { basename, dirname, join, resolve } from 'node:path';
import { FrugalInputError, readModelCard, requireClassifier } from '@frugal/core';
import { DecodePool, readImageManifest, type SkippedImage } from '@frugal/data';
import type { LabelJobData, LabelJobResult } from '../queue/jobs.js';
import { runOnQueue } from '../queue/run-on-queue.js';
import { planShards } from '../shards/plan-shards.js';
import { runId } from '../shards/run-id.js';
import { ShardStore } from '../shards/shard-store.js';
import { loadTeacher, teacherModelDir, teacherWeightsHash } from '../teacher/teacher.js';
import { labelRange } from './label-range.js';

export interface LabelFolderOptions {
  /** A run directory written by `frugal train`. */
  readonly teacherDir: string;
  /** The unlabelled images (any layout). */
  readonly unlabelledDir: string;
  /** The pseudo-label file (JSON lines) to write. */
  readonly outFile: string;
  /** `redis://HOST:PORT`: shards go to workers through this queue. Default: this process labels them. */
  readonly queue?: string;
  /** Images per forward pass (default 64). */
  readonly batchSize?: number;
  /** Images per shard, a multiple of the batch size (default 1024). */
  readonly shardSize?: number;
  /** Decoding threads of the in-process path (default 1). */
  readonly threads?: number;
  readonly diskCache?: string;
  /**
   * Label only this shard (0-based) and store it, without joining: one task of a batch job whose
   * index picks the shard (a Kubernetes Indexed Job's JOB_COMPLETION_INDEX). A later run without
   * it finds every shard stored and joins them.
   */
  readonly onlyShard?: number;
  /** Aborted: stop after the shard being labelled here, keeping those stored (`joined` is then false). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (done: number, total: number) => void;
  readonly onNotice?: (message: string) => void;
}

export interface LabelFolderResult {
  readonly outFile: string;
  readonly images: number;
  readonly labelled: number;
  readonly skipped: SkippedImage[];
  readonly shards: number;
  /** False when only one shard was labelled (`onlyShard`): the output is not written yet. */
  readonly joined: boolean;
  /** Where the shards are stored until they are joined. */
  readonly shardDir: string;
  readonly teacherHash: string;
  readonly seconds: number;
}

/**
 * Pseudo-labels every image of a folder with a teacher into one JSON-lines file, in the folder's
 * manifest order. The folder is split into shards (ranges of its files); each shard's result is
 * stored atomically under its id beside the output, so an interrupted run resumes and a shard
 * done twice is stored once; the shards are then joined, atomically, into the output. With
 * `queue` the shards are jobs for `frugal worker`s on any machine; the file is the same bytes.
 */
export async function labelFolder(options: LabelFolderOptions): Promise<LabelFolderResult> {
  const started = performance.now();
  requireClassifier(await readModelCard(teacherModelDir(options.teacherDir)), options.teacherDir);
  const batchSize = options.batchSize ?? 64;
  const manifest = await readImageManifest(options.unlabelledDir, { what: 'Unlabelled image folder' });
  if (manifest.entries.length === 0) {
    throw new FrugalInputError(`Unlabelled image folder "${options.unlabelledDir}" has no images; give a folder that holds images (jpg, png, webp, ...)`);
  }
  const teacherHash = await teacherWeightsHash(options.teacherDir);
  const shards = planShards(manifest.entries.length, options.shardSize ?? 1024, batchSize);
  const id = runId('label', teacherHash, manifest.root, batchSize, manifest.entries);
  const outFile = resolve(options.outFile);
  const store = new ShardStore(join(dirname(outFile), `.${basename(outFile)}.${id}.shards`));
  const save = async (shardId: string, result: LabelJobResult) => {
    await store.write(shardId, JSON.stringify(result.skipped), 'skipped.json');
    await store.write(shardId, result.text);
  };
  let todo = shards.filter((s) => !store.has(s.id));
  if (options.onlyShard !== undefined) {
    const only = shards[options.onlyShard];
    if (!Number.isInteger(options.onlyShard) || !only) {
      throw new FrugalInputError(`--shard-index: got ${options.onlyShard}; the folder has ${shards.length} shards of ${options.shardSize ?? 1024} images, numbered 0 to ${shards.length - 1}`);
    }
    todo = todo.filter((s) => s === only);
  }

  if (options.queue) {
    const teacherDir = resolve(options.teacherDir);
    await runOnQueue<LabelJobData, LabelJobResult>({
      url: options.queue,
      runId: id,
      jobs: todo.map((s) => ({
        shardId: s.id,
        name: 'label',
        size: s.end - s.start,
        data: { root: manifest.root, entries: manifest.entries.slice(s.start, s.end), teacherDir, teacherHash, batchSize },
      })),
      complete: save,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } else if (todo.length) {
    const teacher = await loadTeacher(options.teacherDir);
    const pool = new DecodePool(options.threads ?? 1);
    try {
      let done = manifest.entries.length - todo.reduce((n, s) => n + s.end - s.start, 0);
      for (const shard of todo) {
        // Interrupted: the shards stored so far are kept, and the same call labels the rest.
        if (options.signal?.aborted) break;
        const result = await labelRange(teacher, manifest.root, manifest.entries.slice(shard.start, shard.end), {
          batchSize,
          pool,
          ...(options.diskCache ? { diskCache: options.diskCache } : {}),
          onProgress: (n) => options.onProgress?.(done + n, manifest.entries.length),
        });
        await save(shard.id, result);
        done += shard.end - shard.start;
      }
    } finally {
      await pool.close();
      teacher.model.dispose();
    }
  }

  const ids = shards.map((s) => s.id);
  // A task of an indexed job only stores its shard: tasks finishing together must not join (and
  // remove the shard folder) under one another; the run without `onlyShard` joins.
  const joined = options.onlyShard === undefined && ids.every((shardId) => store.has(shardId));
  const skipped: SkippedImage[] = [];
  for (const shardId of ids) {
    if (store.has(shardId)) skipped.push(...(JSON.parse(await store.read(shardId, 'skipped.json')) as SkippedImage[]));
  }
  if (joined && skipped.length === manifest.entries.length) {
    // Nothing to write: an empty file would read as pseudo-labels; the output, if any, stays as it was.
    await store.remove();
    const [first] = skipped;
    throw new FrugalInputError(
      `Unlabelled image folder "${options.unlabelledDir}" has no readable images (all ${skipped.length} were skipped; "${first?.file}": ${first?.reason}); put readable images (jpg, png, webp, ...) in it`,
    );
  }
  if (joined) {
    await store.merge(ids, outFile);
    await store.remove();
  }
  const stored = shards.filter((s) => joined || store.has(s.id)).reduce((n, s) => n + s.end - s.start, 0);
  return {
    outFile,
    images: manifest.entries.length,
    labelled: stored - skipped.length,
    skipped,
    shards: shards.length,
    joined,
    shardDir: store.dir,
    teacherHash,
    seconds: (performance.now() - started) / 1000,
  };
}
