import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { evaluate, prepareData, readModelCard, validateRecipe, type EvaluationResult } from '@frugal/core';
import { evalFolder, planShards, queueConnection } from '@frugal/distributed';
import { frugalWith, activateBackend } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { loadRunModel, modelDirOf } from '../run-model.js';
import { pct, textTable } from '../table.js';
import { UsageError } from '../usage-error.js';
import { workProgress } from '../work-progress.js';
import { countFlag, MAX_BATCH, MAX_DECODE_THREADS, MAX_SHARD } from '../count-flag.js';
import { pluginFolders, readRunRecipe } from './train.js';

export function formatEvaluation(r: EvaluationResult, classNames: readonly string[]): string {
  const perClass = textTable(
    ['class', 'precision', 'recall', 'support'],
    r.perClass.map((c) => [c.className, pct(c.precision), pct(c.recall), c.support]),
  );
  const confusion = textTable(
    ['actual \\ predicted', ...classNames.map((_, i) => String(i))],
    r.confusion.map((row, i) => [`${i} ${classNames[i]}`, ...row]),
  );
  const topK = Object.entries(r.topK).map(([k, v]) => `top-${k} ${pct(v)}`).join('  ');
  return `Accuracy: ${pct(r.accuracy)} on ${r.count} images  (${topK})\n\n${perClass}\n\nConfusion matrix:\n${confusion}`;
}

export interface EvalFlags {
  data?: string;
  backend?: string;
  queue?: string;
  batchSize?: string;
  shardSize?: string;
  decodeThreads?: string;
}

/**
 * `frugal eval RUN --data DIR [--queue redis://HOST:PORT]`: the folder streamed in shards, by this
 * process or by frugal workers; the same numbers either way.
 */
async function evalOnFolder(runDir: string, data: string, flags: EvalFlags, out: Output): Promise<number> {
  const batchSize = countFlag(flags.batchSize, '--batch-size', 64, MAX_BATCH);
  const shardSize = countFlag(flags.shardSize, '--shard-size', 1024, MAX_SHARD);
  const threads = countFlag(flags.decodeThreads, '--decode-threads', 1, MAX_DECODE_THREADS);
  planShards(0, shardSize, batchSize);
  if (flags.queue) queueConnection(flags.queue);
  const modelDir = modelDirOf(runDir);
  if (!flags.queue) {
    // This process evaluates: the run's plugins (their layers) and the backend first.
    const raw = (existsSync(join(runDir, 'recipe.json')) ? await readRunRecipe(runDir) : {}) as { seed?: number; plugins?: unknown };
    await activateBackend(await frugalWith({ seed: raw.seed, plugins: raw.plugins, from: pluginFolders(runDir) }), flags.backend ?? 'auto');
  }
  const progress = workProgress('eval', !out.quiet && !out.json);
  let result;
  try {
    result = await evalFolder({
      runDir,
      dataDir: data,
      ...(flags.queue ? { queue: flags.queue } : {}),
      batchSize,
      shardSize,
      threads,
      onProgress: (done, total) => progress.update(done, total),
      onNotice: (message) => out.note(message),
    });
  } finally {
    progress.stop();
  }
  const { classNames } = await readModelCard(modelDir);
  for (const bad of result.skipped) out.note(`Skipped image "${bad.file}": it could not be decoded (${bad.reason})`);
  out.result(result.evaluation, () => formatEvaluation(result.evaluation, classNames));
  return 0;
}

/** `frugal eval RUN_DIR [--data DIR] [--queue redis://HOST:PORT]`. */
export async function evalCommand(runDir: string, flags: EvalFlags, out: Output): Promise<number> {
  if (flags.data) return evalOnFolder(runDir, flags.data, flags, out);
  if (flags.queue) throw new UsageError('frugal eval --queue needs --data DIR (a folder of labelled images, dir/<class>/<image>) for the workers to read');
  modelDirOf(runDir);
  if (!existsSync(join(runDir, 'recipe.json'))) {
    throw new UsageError(`${runDir} is a model folder, not a run directory: it has no recipe, so no test set; pass --data DIR with a folder of labelled images`);
  }
  const raw = (await readRunRecipe(runDir)) as { seed?: number; plugins?: unknown };
  const frugal = await frugalWith({ seed: raw.seed, plugins: raw.plugins, from: pluginFolders(runDir) });
  await activateBackend(frugal, flags.backend ?? 'auto');
  const { model, card } = await loadRunModel(runDir);
  const recipe = validateRecipe(raw, frugal, `${runDir}/recipe.json`);
  const data = await prepareData(frugal, recipe, (message) => out.note(message));
  if (!data.test) throw new UsageError(`The run's dataset "${recipe.data.dataset}" has no test set; pass --data DIR with a folder of labelled images`);
  if (data.test.classNames.length !== card.classNames.length) {
    throw new UsageError(
      `The run's test set has ${data.test.classNames.length} classes (${data.test.classNames.join(', ')}); the model was trained on ${card.classNames.length} (${card.classNames.join(', ')})`,
    );
  }
  const result = evaluate(model, data.test, { normalization: card.normalization });
  out.result(result, () => formatEvaluation(result, card.classNames));
  return 0;
}
