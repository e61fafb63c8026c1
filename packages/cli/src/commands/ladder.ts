import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { readRecipeFile } from '@frugal/core';
import type { Output } from '../output.js';
import { writeLadderReport } from '../ladder/ladder-report.js';
import { parseLadder, runLadder } from '../ladder/run-ladder.js';
import { parseSeedList } from '../seed-list.js';
import { parseFieldFlags, setLadderFields } from '../recipe-fields.js';
import { UsageError } from '../usage-error.js';
import { pluginFolders } from './train.js';

export interface LadderFlags {
  runDir?: string;
  seeds?: string;
  force?: boolean;
  backend?: string;
  jobs?: string;
  /** `FIELD=VALUE` or `rungs.NAME.FIELD=VALUE` fields set over the ladder file's. */
  set?: string[];
}

/** `--jobs N`: how many rungs may train at once. */
export function parseJobs(jobs: string | undefined): number {
  const n = Number(jobs ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs ${jobs}: give a whole number of rungs to train at once, from 1 to 64 (e.g. --jobs 2)`);
  return n;
}

/** Refuses to climb into a folder that holds a ladder already, unless --force clears it. */
export async function claimLadderDir(root: string, force: boolean | undefined): Promise<void> {
  if (!existsSync(join(root, 'ladder.json'))) return;
  if (!force) throw new UsageError(`${root} already holds a ladder; pass --force to climb it again there, or choose another --run-dir`);
  await rm(root, { recursive: true, force: true });
}

/** `frugal ladder LADDER`: every rung of a ladder file, each from the one below, and what each bought. */
export async function ladder(file: string, flags: LadderFlags, out: Output): Promise<number> {
  const jobs = parseJobs(flags.jobs);
  const parsed = parseLadder(setLadderFields(await readRecipeFile(file), parseFieldFlags(flags.set ?? [])), file);
  const { base, rungs } = parsed;
  const seeds = flags.seeds ? parseSeedList(flags.seeds) : [typeof base['seed'] === 'number' ? base['seed'] : 0];
  const root = resolve(flags.runDir ?? join('runs', basename(file, extname(file))));
  await claimLadderDir(root, flags.force);
  const backend = flags.backend ?? (typeof base['backend'] === 'string' ? base['backend'] : 'auto');
  const started = performance.now();
  const { backend: used, runs } = await runLadder(parsed, { root, seeds, backend, file, from: pluginFolders(dirname(file)), jobs, out });
  const name = typeof base['name'] === 'string' ? base['name'] : basename(file, extname(file));
  const { rows, table, report } = await writeLadderReport(root, {
    title: `Ladder ${name}`,
    backend: used,
    seeds,
    runs,
    rungs,
    facts: { 'rungs at once': jobs, 'wall time': `${((performance.now() - started) / 1000).toFixed(0)} s` },
  });
  out.result({ backend: used, seeds, rungs: rows, report }, () => `\n${table}\n\nBackend: ${used}. Report: ${report}`);
  return 0;
}
