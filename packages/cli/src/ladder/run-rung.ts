import { runRecipe, validateRecipe, type FrugalPlugin } from '@frugal/core';
import { frugalWith } from '../frugal-instance.js';
import { writeRunReport } from '../report/run-report.js';

/** One rung to train, for one seed; plain data, so that it can be handed to another process. */
export interface RungTask {
  /** The rung's recipe, as `rungRecipes` wrote it. */
  readonly recipe: Record<string, unknown>;
  readonly dir: string;
  readonly seed: number;
  /** Names the rung in messages: `ladder.yaml rung "fixmatch"`. */
  readonly source: string;
  /** Where the recipe's plugins are resolved from, and what named them (for messages). */
  readonly from?: readonly string[];
  readonly pluginSource: string;
  /** No progress bars or epoch lines. */
  readonly quiet: boolean;
  /** Continue the run its directory holds, from its last checkpoint (`frugal ladder --resume`). */
  readonly resume?: boolean;
  /** Clear the run its directory holds first (one stopped before its first checkpoint). */
  readonly force?: boolean;
}

/** What a rung's run gave. */
export interface RungResult {
  readonly strategy: string;
  /** Test accuracy (NaN without a test set). */
  readonly accuracy: number;
  readonly labelled: number;
  readonly unlabelled: number;
  readonly seconds: number;
}

export interface RungOptions {
  /** Plugins given as objects. */
  readonly extra?: readonly FrugalPlugin[];
  /** Stops the training at its next step, with a checkpoint. */
  readonly signal?: AbortSignal;
}

/** Trains one rung into its run directory, with its report, on the backend already active. */
export async function runRung(task: RungTask, log: (message: string) => void, options: RungOptions = {}): Promise<RungResult> {
  const frugal = await frugalWith({ seed: task.seed, plugins: task.recipe['plugins'], from: task.from, extra: options.extra, source: task.pluginSource });
  const recipe = validateRecipe(task.recipe, frugal, task.source);
  const run = await runRecipe(frugal, recipe, { runDir: task.dir, resume: task.resume, force: task.force, quiet: task.quiet, log, signal: options.signal });
  await writeRunReport(frugal, task.dir, recipe, run);
  return {
    strategy: recipe.strategy.name,
    accuracy: run.evaluation?.accuracy ?? Number.NaN,
    labelled: run.data.labelled,
    unlabelled: run.data.unlabelled,
    seconds: run.seconds,
  };
}
