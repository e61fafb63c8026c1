import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import {
  isInputError,
  readRecipeFile,
  runRecipe,
  TrainingInterrupted,
  validateRecipe,
  type Recipe,
  type RunResult,
} from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { pct } from '../table.js';
import { UsageError } from '../usage-error.js';
import { writeRunReport } from '../report/run-report.js';

export interface TrainFlags {
  runDir?: string;
  resume?: string;
  force?: boolean;
  backend?: string;
}

/** Reads a run directory's resolved recipe, for --resume and eval. */
export async function readRunRecipe(runDir: string): Promise<unknown> {
  const file = join(runDir, 'recipe.json');
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run directory (it has no recipe.json); give the directory \`frugal train\` wrote`);
  return JSON.parse(await readFile(file, 'utf8'));
}

/** `frugal train RECIPE` / `frugal train --resume RUN_DIR`. */
export async function train(recipeFile: string | undefined, flags: TrainFlags, out: Output): Promise<number> {
  if (!recipeFile && !flags.resume) throw new UsageError('frugal train needs a recipe file (frugal train RECIPE) or --resume RUN_DIR');
  const raw = flags.resume ? await readRunRecipe(flags.resume) : await readRecipeFile(recipeFile as string);
  const plugins = Array.isArray((raw as { plugins?: unknown }).plugins) ? ((raw as { plugins: string[] }).plugins) : [];
  const seed = typeof (raw as { seed?: unknown }).seed === 'number' ? ((raw as { seed: number }).seed) : 0;
  const frugal = await frugalWith({ seed, plugins });
  const recipe: Recipe = validateRecipe(raw, frugal, flags.resume ? `${flags.resume}/recipe.json` : 'recipe');
  const runDir = resolve(
    flags.resume ?? flags.runDir ?? join(recipe.output.dir, recipe.name ?? basename(recipeFile as string, extname(recipeFile as string))),
  );
  const backend = await activateBackend(frugal, flags.backend ?? recipe.backend);
  out.note(`Backend: ${backend.name}`);
  const controller = new AbortController();
  const onSignal = () => {
    out.note('\nInterrupt received: finishing the current step and writing a checkpoint...');
    controller.abort();
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let run: RunResult;
  try {
    run = await runRecipe(frugal, recipe, {
      runDir,
      resume: Boolean(flags.resume),
      force: flags.force,
      signal: controller.signal,
      quiet: out.quiet || out.json,
      log: (m) => out.note(m),
    });
  } catch (error) {
    if (error instanceof TrainingInterrupted) {
      out.note(`${error.message}\nResume with: frugal train --resume ${runDir}`);
      return 130;
    }
    if (isInputError(error)) throw error;
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const report = await writeRunReport(frugal, runDir, recipe, run);
  out.result(
    { runDir, backend: backend.name, accuracy: run.evaluation?.accuracy, seconds: run.seconds, data: run.data, report },
    () =>
      [
        `Test accuracy: ${pct(run.evaluation?.accuracy)} on ${run.data.test} images (${run.data.labelled} labelled for training)`,
        `Time: ${run.seconds.toFixed(1)} s on ${backend.name}`,
        `Run directory: ${runDir}`,
        `Report: ${report}`,
      ].join('\n'),
  );
  return 0;
}
