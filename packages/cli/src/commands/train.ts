import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, extname, join, resolve, sep } from 'node:path';
import {
  readRecipeFile,
  runRecipe,
  TrainingInterrupted,
  validateRecipe,
  type Recipe,
  type RunResult,
} from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import { applyRecipePrecision, checkPrecision } from '../precision.js';
import { applyRecipeThreads, backendNote } from '../threads.js';
import type { Output } from '../output.js';
import { pct } from '../table.js';
import { parseFieldFlags, setFields } from '../recipe-fields.js';
import { readRecipe } from '../recipe-file.js';
import { UsageError } from '../usage-error.js';
import { writeRunReport } from '../report/run-report.js';
import { interruptible } from '../interruptible.js';

export interface TrainFlags {
  runDir?: string;
  resume?: string;
  force?: boolean;
  backend?: string;
  /** `FIELD=VALUE` fields set over the recipe's. */
  set?: string[];
}

/** Reads a run directory's resolved recipe, for --resume and eval. */
export async function readRunRecipe(runDir: string): Promise<unknown> {
  const file = join(runDir, 'recipe.json');
  if (!existsSync(runDir)) throw new UsageError(`${runDir} does not exist; give the run directory \`frugal train\` wrote`);
  if (!existsSync(file)) throw new UsageError(`${runDir} is not a run directory (it has no recipe.json); give the directory \`frugal train\` wrote`);
  return readRecipeFile(file);
}

/** Where a recipe's run goes: `--run-dir`, or `<output.dir>/<name>`, which must stay inside `output.dir`. */
function runDirOf(recipe: Recipe, recipeFile: string, flags: TrainFlags): string {
  if (flags.resume) return resolve(flags.resume);
  if (flags.runDir) return resolve(flags.runDir);
  const base = resolve(recipe.output.dir);
  const dir = resolve(base, recipe.name ?? basename(recipeFile, extname(recipeFile)));
  const outside = (where: string) =>
    new UsageError(`The run directory ${where} lies outside output.dir (${base}); give the recipe a plain name or pass --run-dir`);
  if (!dir.startsWith(base + sep)) throw outside(dir);
  // A name chosen by the recipe must not lead elsewhere through a symbolic link either.
  if (existsSync(dir) && !realpathSync(dir).startsWith(realpathSync(base) + sep)) throw outside(`${dir} (a link to ${realpathSync(dir)})`);
  return dir;
}

/** Where a recipe's plugins are looked up: its folder, then the current project. */
export function pluginFolders(recipeFolder: string): string[] {
  return [resolve(recipeFolder), process.cwd()];
}

/** `frugal train RECIPE` / `frugal train --resume RUN_DIR`. */
export async function train(recipeFile: string | undefined, flags: TrainFlags, out: Output): Promise<number> {
  if (!recipeFile && !flags.resume) throw new UsageError('frugal train needs a recipe file (frugal train RECIPE) or --resume RUN_DIR');
  if (recipeFile && flags.resume) {
    throw new UsageError(
      `frugal train got both a recipe (${recipeFile}) and --resume ${flags.resume}; a resumed run keeps its own recipe. ` +
        'Give only --resume RUN_DIR, or only the recipe (with --force to start the run over)',
    );
  }
  if (flags.resume && flags.force) throw new UsageError('--resume continues a run and --force starts it over; give one of them');
  if (flags.resume && flags.runDir && resolve(flags.runDir) !== resolve(flags.resume)) {
    throw new UsageError(`--resume ${flags.resume} continues the run in that folder, so --run-dir ${flags.runDir} cannot send it elsewhere; give only --resume`);
  }
  if (flags.resume && flags.set) throw new UsageError(`--resume continues a run with its own recipe, so --set ${flags.set.join(' ')} cannot change it; start a new run instead`);
  const raw = flags.resume ? await readRunRecipe(flags.resume) : setFields(await readRecipe(recipeFile as string), parseFieldFlags(flags.set ?? []));
  const seed = typeof (raw as { seed?: unknown }).seed === 'number' ? ((raw as { seed: number }).seed) : 0;
  // Plugins resolve from the recipe's folder (a resumed run's folder), then the current project.
  const frugal = await frugalWith({ seed, plugins: (raw as { plugins?: unknown }).plugins, from: pluginFolders(flags.resume ?? dirname(recipeFile as string)) });
  const recipe: Recipe = validateRecipe(raw, frugal, flags.resume ? `${flags.resume}/recipe.json` : 'recipe');
  const runDir = runDirOf(recipe, recipeFile ?? '', flags);
  applyRecipeThreads(recipe.threads);
  applyRecipePrecision(recipe.precision, flags.resume ? `${flags.resume}/recipe.json` : (recipeFile as string));
  const backend = await activateBackend(frugal, flags.backend ?? recipe.backend);
  checkPrecision(backend.name);
  out.note(`Backend: ${backendNote(backend.name)}`);
  return interruptible(out, 'Interrupt received: finishing the current step and writing a checkpoint...', trainAndReport);

  async function trainAndReport(signal: AbortSignal): Promise<number> {
    let run: RunResult;
    try {
      run = await runRecipe(frugal, recipe, {
        runDir,
        resume: Boolean(flags.resume),
        force: flags.force,
        signal,
        quiet: out.quiet || out.json,
        log: (m) => out.note(m),
      });
    } catch (error) {
      if (error instanceof TrainingInterrupted) {
        out.note(`${error.message}\nResume with: frugal train --resume ${runDir}`);
        return 130;
      }
      throw error;
    }
    const reportLater = `Write it with: frugal train --resume ${runDir}`;
    if (signal.aborted) {
      out.note(`Interrupted after training had finished: the model is saved in ${join(runDir, 'model')}; the report was not written. ${reportLater}`);
      return 130;
    }
    const report = await writeRunReport(frugal, runDir, recipe, run);
    if (signal.aborted) {
      out.note(`Interrupted while writing the report, after training had finished: the model is saved in ${join(runDir, 'model')}. ${reportLater}`);
      return 130;
    }
    out.result(
      { runDir, backend: backend.name, accuracy: run.evaluation?.accuracy, seconds: run.seconds, data: run.data, report },
      () =>
        [
          run.evaluation
            ? `Test accuracy: ${out.colours.bold(out.colours.green(pct(run.evaluation.accuracy)))} on ${run.data.test} images (${run.data.labelled} labelled for training)`
            : `No test accuracy: ${run.data.test ? 'the strategy gives none' : 'the data has no test images'} (${run.data.labelled} labelled for training)`,
          `Time: ${run.seconds.toFixed(1)} s on ${backend.name}`,
          `Run directory: ${runDir}`,
          `Report: ${report}`,
        ].join('\n'),
    );
    return 0;
  }
}
