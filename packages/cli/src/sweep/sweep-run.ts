import { existsSync } from 'node:fs';
import { runRecipe, validateRecipe } from '@frugal/core';
import { frugalWith } from '../frugal-instance.js';

/** One run of a sweep, as a queue job carries it. */
export interface SweepJobData {
  /** The recipe with the setting and seed applied. */
  readonly recipe: Record<string, unknown>;
  readonly runDir: string;
  /** The coordinator's working folder: relative paths in the recipe are read from it. */
  readonly cwd: string;
  /** Where the recipe's plugins are resolved. */
  readonly from: readonly string[];
}

export interface SweepRunResult {
  /** Test accuracy (NaN without a test set). */
  readonly accuracy: number;
  readonly seconds: number;
}

/**
 * Trains one run of a sweep into its run directory (overwriting a half-done one: a job may run
 * again after its worker died). The backend is the process's, already chosen; `signal` stops the
 * training at its next step, with a checkpoint.
 */
export async function runSweepJob(data: SweepJobData, signal?: AbortSignal): Promise<SweepRunResult> {
  if (!existsSync(data.cwd)) {
    throw new Error(`The sweep's folder ${data.cwd} does not exist on this machine; run workers where the same files are (or a shared folder)`);
  }
  const here = process.cwd();
  process.chdir(data.cwd);
  try {
    const seed = typeof data.recipe['seed'] === 'number' ? data.recipe['seed'] : 0;
    const frugal = await frugalWith({ seed, plugins: data.recipe['plugins'], from: data.from });
    const recipe = validateRecipe(data.recipe, frugal, `sweep run ${data.runDir}`);
    const run = await runRecipe(frugal, recipe, { runDir: data.runDir, force: true, quiet: true, signal });
    return { accuracy: run.evaluation?.accuracy ?? Number.NaN, seconds: run.seconds };
  } finally {
    process.chdir(here);
  }
}
