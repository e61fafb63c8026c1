import { existsSync } from 'node:fs';
import { acquisition, ACQUISITIONS, suggestImages, suggestionCsv } from '@frugal/active-learning';
import { closestName, validateRecipe, writeNewFileAtomic } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { loadRunModel } from '../run-model.js';
import { UsageError } from '../usage-error.js';
import { workProgress } from '../work-progress.js';
import { countFlag, MAX_BATCH, MAX_SHARD } from '../count-flag.js';
import { pluginFolders, readRunRecipe } from './train.js';

export interface SuggestFlags {
  count: string;
  out: string;
  by?: string;
  seed?: string;
  batchSize?: string;
  backend?: string;
}

/** `frugal suggest RUN --count N --out FILE [--by METHOD] [--seed N]`: the images of the run's unlabelled folder worth labelling next. */
export async function suggest(runDir: string, flags: SuggestFlags, out: Output): Promise<number> {
  const count = countFlag(flags.count, '--count', 1, MAX_SHARD);
  const batchSize = countFlag(flags.batchSize, '--batch-size', 64, MAX_BATCH);
  if (flags.by !== undefined && !ACQUISITIONS.has(flags.by)) {
    const close = closestName(flags.by, [...ACQUISITIONS.keys()]);
    throw new UsageError(`--by must be one of ${[...ACQUISITIONS.keys()].join(', ')}, got "${flags.by}"${close ? `; did you mean "${close}"?` : ''}`);
  }
  if (!flags.out.toLowerCase().endsWith('.csv')) throw new UsageError(`--out ${flags.out}: the suggestions are a CSV labels file; give a name ending in .csv`);
  // The file a person fills in is never written over: refused now, and if it appears while the model runs.
  const taken = () => new UsageError(`${flags.out} exists (it may hold labels someone typed); give another --out, or move it away`);
  if (existsSync(flags.out)) throw taken();
  const raw = (await readRunRecipe(runDir)) as { seed?: number; plugins?: unknown };
  let seed = raw.seed ?? 0;
  if (flags.seed !== undefined) {
    seed = Number(flags.seed);
    if (flags.seed.trim() === '' || !Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, as a recipe's seed is, got "${flags.seed}"`);
  }
  const frugal = await frugalWith({ seed, plugins: raw.plugins, from: pluginFolders(runDir) });
  await activateBackend(frugal, flags.backend ?? 'auto');
  const recipe = validateRecipe(raw, frugal, `${runDir}/recipe.json`);
  // A pretext run's outputs are its task's (rotations, projections), not classes: its features alone can choose.
  const predictsClasses = !frugal.strategies.get(recipe.strategy.name).ignoresLabels;
  acquisition(flags.by, predictsClasses);
  // The network normalises with its card's statistics, so a source need not measure its own.
  const source = await frugal.datasets.load(recipe.data.dataset, recipe.data.params, { needsNormalization: false, log: (message) => out.note(message) });
  const stream = source.unlabelledStream;
  if (!stream) {
    throw new UsageError(
      `The run's dataset "${recipe.data.dataset}" has no unlabelled folder to choose from; train on image-folder with labels (a labels file naming the labelled images of dir) or with unlabelledDir, or a pretext on an unlabelled-folder`,
    );
  }
  const { model, card } = await loadRunModel(runDir, { pretext: true });
  const progress = workProgress('suggest', !out.quiet && !out.json);
  let result;
  try {
    result = await suggestImages({
      model,
      normalization: card.normalization,
      labelled: source.train,
      unlabelled: stream,
      predictsClasses,
      count,
      ...(flags.by ? { method: flags.by } : {}),
      seed,
      batchSize,
      onProgress: (done, total) => progress.update(done, total),
    });
  } finally {
    progress.stop();
    model.dispose();
  }
  for (const bad of result.skipped) out.note(`Skipped image "${bad.file}": it could not be decoded (${bad.reason})`);
  await writeNewFileAtomic(flags.out, suggestionCsv(result.suggestions)).catch((error: NodeJS.ErrnoException) => {
    throw error.code === 'EEXIST' ? taken() : error;
  });
  const byFile = (recipe.data.params as { labels?: unknown } | undefined)?.labels !== undefined;
  const next =
    source.train.labels.length === 0
      ? `train on it as the labels file of an image-folder on ${stream.dir} (data.params.labels)`
      : byFile
        ? 'train on it beside the labels you have (data.params.labels)'
        : `move each image of ${stream.dir} it names into its class folder, and train again`;
  out.result({ ...result, out: flags.out, dir: stream.dir }, () =>
    `Chose ${result.suggestions.length} of ${result.candidates} unlabelled images (${result.method}) into ${flags.out}: fill in each "class", then ${next}`,
  );
  return 0;
}

