import { existsSync, readdirSync } from 'node:fs';
import { evaluate, prepareData, validateRecipe, type EvaluationResult, type ImageSet } from '@frugal/core';
import { frugalWith, activateBackend } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { loadRunModel } from '../run-model.js';
import { pct, textTable } from '../table.js';
import { UsageError } from '../usage-error.js';
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

/** `frugal eval RUN_DIR [--data DIR]`. */
export async function evalCommand(runDir: string, flags: { data?: string; backend?: string }, out: Output): Promise<number> {
  const raw = (await readRunRecipe(runDir)) as { seed?: number; plugins?: unknown };
  const frugal = await frugalWith({ seed: raw.seed, plugins: raw.plugins, from: pluginFolders(runDir) });
  await activateBackend(frugal, flags.backend ?? 'auto');
  const { model, card } = await loadRunModel(runDir);
  let set: ImageSet;
  if (flags.data) {
    const [h, w, c] = card.inputShape as [number, number, number];
    const folders = existsSync(flags.data)
      ? readdirSync(flags.data, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name)
      : [];
    // The model's class order, when the folder has exactly the model's classes.
    const sameClasses = folders.length === card.classNames.length && card.classNames.every((n) => folders.includes(n));
    const source = await frugal.datasets.load('image-folder', {
      dir: flags.data,
      size: [h, w],
      color: c === 1 ? 'grayscale' : 'rgb',
      ...(sameClasses ? { classNames: [...card.classNames] } : {}),
    });
    set = source.train;
  } else {
    const recipe = validateRecipe(raw, frugal, `${runDir}/recipe.json`);
    const data = await prepareData(frugal, recipe);
    if (!data.test) throw new UsageError(`The run's dataset "${recipe.data.dataset}" has no test set; pass --data DIR with a folder of labelled images`);
    set = data.test;
  }
  if (set.classNames.length !== card.classNames.length) {
    throw new UsageError(
      `The evaluation data has ${set.classNames.length} classes (${set.classNames.join(', ')}); the model was trained on ${card.classNames.length} (${card.classNames.join(', ')})`,
    );
  }
  const result = evaluate(model, set, { normalization: card.normalization });
  out.result(result, () => formatEvaluation(result, card.classNames));
  return 0;
}
