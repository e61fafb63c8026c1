import { existsSync, readdirSync, statSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { isInputError, makeDir, TrainingInterrupted, validateRecipe } from '@frugal/core';
import { queueConnection, runOnQueue, ShardStore } from '@frugal/distributed';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import { applyRecipePrecision, checkPrecision } from '../precision.js';
import { applyRecipeThreads, backendNote } from '../threads.js';
import type { Output } from '../output.js';
import { parseSeedList } from '../seed-list.js';
import { writeSweepReport, type SweepRun } from '../sweep/sweep-report.js';
import { runSweepJob, type SweepJobData, type SweepRunResult } from '../sweep/sweep-run.js';
import { settingFolders, sweepSettings } from '../sweep/sweep-settings.js';
import { setFields } from '../recipe-fields.js';
import { readRecipe } from '../recipe-file.js';
import { UsageError } from '../usage-error.js';
import { interruptible } from '../interruptible.js';
import { workProgress } from '../work-progress.js';
import { pluginFolders } from './train.js';
import { createHash } from 'node:crypto';

/** Marks a folder as a sweep's from its start, so that a stopped sweep goes on there. */
const SWEEP_MARKER = '.frugal-sweep';

export interface SweepFlags {
  seeds?: string;
  set?: string[];
  runDir?: string;
  queue?: string;
  force?: boolean;
  backend?: string;
}

/**
 * `frugal sweep RECIPE --seeds 0-9 [--set FIELD=A,B ...] [--queue redis://HOST:PORT]`: one run per
 * setting and seed (each a job for frugal worker with --queue), gathered into a table of mean ± sd
 * test accuracy per setting and a report.
 */
export async function sweep(file: string, flags: SweepFlags, out: Output): Promise<number> {
  const raw = await readRecipe(file);
  const seeds = flags.seeds ? parseSeedList(flags.seeds) : [typeof raw['seed'] === 'number' ? raw['seed'] : 0];
  const settings = sweepSettings(flags.set ?? []);
  if (flags.queue) queueConnection(flags.queue);
  const root = resolve(flags.runDir ?? join('runs', `${basename(file, extname(file))}-sweep`));
  if (existsSync(join(root, 'sweep.json'))) {
    if (!flags.force) throw new UsageError(`${root} already holds a sweep; pass --force to run it again there, or choose another --run-dir`);
    await rm(root, { recursive: true, force: true });
  } else if (existsSync(root) && !existsSync(join(root, SWEEP_MARKER)) && (!statSync(root).isDirectory() || readdirSync(root).length > 0)) {
    // Not a sweep that stopped (which goes on from its finished runs): its runs' files would mix
    // with what is there, and --force would later remove it all.
    throw new UsageError(`${root} holds files but no sweep; give a new or empty --run-dir for the sweep`);
  }
  const from = pluginFolders(dirname(file));
  // Every run's recipe is checked here, so that bad input stops the sweep before anything trains.
  const frugal = await frugalWith({ plugins: raw['plugins'], from, source: `${file} plugins` });
  const folders = settingFolders(settings);
  const runs = settings.flatMap((setting, i) =>
    seeds.map((seed) => {
      const recipe = { ...setFields(raw, setting.values), seed };
      try {
        validateRecipe(recipe, frugal, file);
      } catch (error) {
        throw isInputError(error) ? new UsageError(`${setting.label}, seed ${seed}: ${error.message}`) : error;
      }
      const runDir = join(root, folders[i] as string, `seed-${seed}`);
      const data: SweepJobData = { recipe, runDir, cwd: process.cwd(), from };
      return { id: `run-${createHash('sha256').update(JSON.stringify(data)).digest('hex').slice(0, 16)}`, setting, seed, data };
    }),
  );
  await makeDir(root);
  await writeFile(join(root, SWEEP_MARKER), '');
  const store = new ShardStore(join(root, '.runs'));
  const save = (id: string, result: SweepRunResult) => store.write(id, JSON.stringify(result));
  const todo = runs.filter((r) => !store.has(r.id));
  const progress = workProgress('sweep', !out.quiet && !out.json, 'runs');
  const started = performance.now();
  let backend = 'workers';
  const finishedAll = await interruptible(out, 'Interrupt received: stopping the sweep...', async (signal) => {
    try {
      if (flags.queue) {
        await runOnQueue<SweepJobData, SweepRunResult>({
          url: flags.queue,
          runId: `sweep-${createHash('sha256').update(root).digest('hex').slice(0, 12)}`,
          jobs: todo.map((r) => ({ shardId: r.id, name: 'sweep', size: 1, data: r.data })),
          complete: save,
          onProgress: (done, total) => progress.update(done, total),
          onNotice: (message) => out.note(message),
          signal,
        });
      } else {
        // The recipe's threads and precision, as frugal train applies them, for every run of the sweep.
        applyRecipeThreads(raw['threads']);
        applyRecipePrecision(raw['precision'], file);
        const name = (await activateBackend(frugal, flags.backend ?? (typeof raw['backend'] === 'string' ? raw['backend'] : 'auto'))).name;
        checkPrecision(name);
        backend = backendNote(name);
        let done = runs.length - todo.length;
        for (const run of todo) {
          if (signal.aborted) break;
          progress.update(done, runs.length);
          out.note(`${run.setting.label}, seed ${run.seed}`);
          await save(run.id, await runSweepJob(run.data, signal));
          progress.update(++done, runs.length);
        }
      }
    } catch (error) {
      if (!(error instanceof TrainingInterrupted)) throw error;
    } finally {
      progress.stop();
    }
    return runs.every((run) => store.has(run.id));
  });
  if (!finishedAll) {
    const done = runs.filter((run) => store.has(run.id)).length;
    const rest = flags.queue ? 'the queued runs stay with the workers, and the same command collects them' : 'the same command goes on from them';
    out.note(`Interrupted: ${done} of ${runs.length} runs are done, kept in ${root}; ${rest}`);
    return 130;
  }
  const finished: SweepRun[] = [];
  for (const run of runs) {
    const result = JSON.parse(await store.read(run.id)) as SweepRunResult;
    finished.push({ setting: run.setting.label, seed: run.seed, dir: relative(root, run.data.runDir), ...result });
  }
  await store.remove();
  const name = typeof raw['name'] === 'string' ? raw['name'] : basename(file, extname(file));
  const { rows, table, report } = await writeSweepReport(root, {
    title: `Sweep of ${name}`,
    seeds,
    runs: finished,
    facts: { backend, 'wall time': `${((performance.now() - started) / 1000).toFixed(0)} s` },
  });
  out.result({ seeds, settings: rows, runs: finished, report }, () => `\n${table}\n\nReport: ${report}`);
  return 0;
}
