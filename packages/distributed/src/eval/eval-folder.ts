import { basename, join, resolve } from 'node:path';
import { tmpdir } from 'node:os';
import { FrugalInputError, metricsFromLogits, readModelCard, requireClassifier, type EvaluationResult } from '@frugal/core';
import { DecodePool, type SkippedImage } from '@frugal/data';
import type { EvalJobData, EvalJobResult } from '../queue/jobs.js';
import { runOnQueue } from '../queue/run-on-queue.js';
import { planShards } from '../shards/plan-shards.js';
import { runId } from '../shards/run-id.js';
import { ShardStore } from '../shards/shard-store.js';
import { loadTeacher, teacherModelDir, teacherWeightsHash } from '../teacher/teacher.js';
import { evalRange } from './eval-range.js';
import { readLabelledManifest, type LabelledManifest } from './labelled-manifest.js';

export interface EvalFolderOptions {
  /** A run directory written by `frugal train`, or a model folder written by `frugal convert`. */
  readonly runDir: string;
  /** Labelled images: `dir/<class>/<image>`, classes named as the model's (or one folder per class, matched in order). */
  readonly dataDir: string;
  /** `redis://HOST:PORT`: shards go to workers; default: this process. */
  readonly queue?: string;
  readonly batchSize?: number;
  readonly shardSize?: number;
  /** Decoding threads of the in-process path (default 1). */
  readonly threads?: number;
  /** Where shard results wait until all are in (default: the system's temporary folder). */
  readonly workDir?: string;
  readonly onProgress?: (done: number, total: number) => void;
  readonly onNotice?: (message: string) => void;
}

export interface EvalFolderResult {
  readonly evaluation: EvaluationResult;
  readonly images: number;
  readonly skipped: SkippedImage[];
  readonly shards: number;
  readonly seconds: number;
}

/** A class whose folder holds images of which none could be read would be scored as absent: refused, as training refuses it. */
function refuseUnreadableClass(manifest: LabelledManifest, read: readonly number[]): void {
  const readable = new Set(read);
  const listed = new Map<number, number>();
  for (const label of manifest.labels) listed.set(label, (listed.get(label) ?? 0) + 1);
  for (const [label, count] of listed) {
    if (readable.has(label)) continue;
    const folder = manifest.entries[manifest.labels.indexOf(label)]?.path.split('/')[0] ?? '';
    throw new FrugalInputError(`Class folder "${join(manifest.root, folder)}" has no readable images (${count === 1 ? 'its one image was' : `all ${count} were`} skipped); remove the folder, or put readable images in it`);
  }
}

/**
 * Evaluates a trained run on a labelled folder of any size: streamed batches, in shards stored
 * by id (on workers through `queue`, or here), the logits of all joined into one evaluation.
 */
export async function evalFolder(options: EvalFolderOptions): Promise<EvalFolderResult> {
  const started = performance.now();
  const batchSize = options.batchSize ?? 64;
  const card = await readModelCard(teacherModelDir(options.runDir));
  requireClassifier(card, options.runDir);
  const manifest = await readLabelledManifest(options.dataDir, card.classNames);
  if (manifest.matchedByPosition) options.onNotice?.(manifest.matchedByPosition);
  const teacherHash = await teacherWeightsHash(options.runDir);
  const shards = planShards(manifest.entries.length, options.shardSize ?? 1024, batchSize);
  const id = runId('eval', teacherHash, manifest.root, batchSize, manifest.entries);
  const store = new ShardStore(join(options.workDir ?? tmpdir(), `frugal-${basename(manifest.root)}.${id}.shards`));
  const save = (shardId: string, result: EvalJobResult) => store.write(shardId, JSON.stringify(result));
  const todo = shards.filter((s) => !store.has(s.id));
  const slice = (s: { start: number; end: number }) => ({
    entries: manifest.entries.slice(s.start, s.end),
    labels: manifest.labels.slice(s.start, s.end),
  });

  if (options.queue) {
    // Workers run in folders of their own: the teacher is named by its absolute path, as label names it.
    const runDir = resolve(options.runDir);
    await runOnQueue<EvalJobData, EvalJobResult>({
      url: options.queue,
      runId: id,
      jobs: todo.map((s) => ({
        shardId: s.id,
        name: 'eval',
        size: s.end - s.start,
        data: { root: manifest.root, ...slice(s), teacherDir: runDir, teacherHash, batchSize },
      })),
      complete: save,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onNotice ? { onNotice: options.onNotice } : {}),
    });
  } else if (todo.length) {
    const teacher = await loadTeacher(options.runDir);
    const pool = new DecodePool(options.threads ?? 1);
    try {
      let done = manifest.entries.length - todo.reduce((n, s) => n + s.end - s.start, 0);
      for (const shard of todo) {
        const { entries, labels } = slice(shard);
        await save(shard.id, await evalRange(teacher, manifest.root, entries, labels, {
          batchSize,
          pool,
          onProgress: (n) => options.onProgress?.(done + n, manifest.entries.length),
        }));
        done += entries.length;
      }
    } finally {
      await pool.close();
      teacher.model.dispose();
    }
  }

  const logits: number[] = [];
  const labels: number[] = [];
  const skipped: SkippedImage[] = [];
  for (const shard of shards) {
    const result = JSON.parse(await store.read(shard.id)) as EvalJobResult;
    for (const v of result.logits) logits.push(v);
    for (const y of result.labels) labels.push(y);
    skipped.push(...result.skipped);
  }
  await store.remove();
  refuseUnreadableClass(manifest, labels);
  const evaluation = metricsFromLogits(Float32Array.from(logits), Int32Array.from(labels), card.classNames);
  return { evaluation, images: manifest.entries.length, skipped, shards: shards.length, seconds: (performance.now() - started) / 1000 };
}
