import { existsSync, readdirSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { readRecipeFile } from '@frugal/core';
import type { Output } from '../output.js';
import { writeLadderReport } from '../ladder/ladder-report.js';
import { parseLadder, runLadder, type Ladder, type LadderRunOptions } from '../ladder/run-ladder.js';
import { parseSeedList } from '../seed-list.js';
import { parseFieldFlags, setLadderFields } from '../recipe-fields.js';
import { interruptible } from '../interruptible.js';
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
  /** Continue the unfinished climb in the run directory. */
  resume?: boolean;
}

/** `--jobs N`: how many rungs may train at once. */
export function parseJobs(jobs: string | undefined): number {
  const n = Number(jobs ?? 1);
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--jobs ${jobs}: give a whole number of rungs to train at once, from 1 to 64 (e.g. --jobs 2)`);
  return n;
}

/**
 * Refuses to climb into a folder that holds a ladder already, unless --force clears it; with
 * --resume, the folder must hold a climb that did not finish.
 */
export async function claimLadderDir(root: string, force: boolean | undefined, resume = false, seeds: readonly number[] = [0]): Promise<void> {
  const finished = existsSync(join(root, 'ladder.json'));
  if (resume) {
    if (force) throw new UsageError('--resume continues a climb and --force starts it over; give one of them');
    if (finished) throw new UsageError(`${root} holds a finished ladder (its ladder.json): there is nothing to resume; pass --force to climb it again`);
    if (!existsSync(root)) throw new UsageError(`${root} holds no climb to resume; climb the ladder without --resume, or give the --run-dir of the climb that was interrupted`);
    refuseOtherSeeds(root, seeds);
    return;
  }
  if (!finished) return;
  if (!force) throw new UsageError(`${root} already holds a ladder; pass --force to climb it again there, or choose another --run-dir`);
  await rm(root, { recursive: true, force: true });
}

/**
 * A climb of one seed keeps its rungs in `root`, one of several seeds in `root/seed-N`: resumed
 * with other seeds, it would start over beside what it left. Refused, naming the seeds it holds.
 */
function refuseOtherSeeds(root: string, seeds: readonly number[]): void {
  const entries = readdirSync(root);
  const held = entries.filter((name) => /^seed-\d+$/.test(name)).map((name) => Number(name.slice(5)));
  const oneSeed = entries.some((name) => /^\d+-/.test(name));
  const resumeWith = 'resume it with the --seeds it was climbed with, or climb these seeds in another --run-dir';
  if (seeds.length > 1 && oneSeed) throw new UsageError(`${root} holds the climb of one seed, and --seeds gives ${seeds.length}; ${resumeWith}`);
  const stranger = held.filter((seed) => !seeds.includes(seed));
  if (seeds.length === 1 && held.length > 0 && !oneSeed) throw new UsageError(`${root} holds the climb of seeds ${held.sort((a, b) => a - b).join(', ')}, and one seed is given; ${resumeWith}`);
  if (stranger.length > 0) throw new UsageError(`${root} holds the climb of seed ${stranger.join(', ')}, which --seeds leaves out; ${resumeWith}`);
}

/**
 * Claims `root` (see `claimLadderDir`) and climbs the ladder into it. A Ctrl-C stops the rungs that
 * are training and keeps the finished ones for `--resume`: undefined then, with a note on how to
 * continue.
 */
export async function climb(
  ladder: Ladder,
  options: Omit<LadderRunOptions, 'signal'>,
): Promise<Awaited<ReturnType<typeof runLadder>> | undefined> {
  const { root, out } = options;
  await claimLadderDir(root, options.force, options.resume, options.seeds);
  return interruptible(out, 'Interrupt received: the rungs training stop at their next step...', async (signal) => {
    try {
      return await runLadder(ladder, { ...options, signal });
    } catch (error) {
      if (!signal.aborted) throw error;
      out.note(`Interrupted: the rungs that finished are kept in ${root}. To continue, run the same command with --resume.`);
      return undefined;
    }
  });
}

/** `frugal ladder LADDER`: every rung of a ladder file, each from the one below, and what each bought. */
export async function ladder(file: string, flags: LadderFlags, out: Output): Promise<number> {
  const jobs = parseJobs(flags.jobs);
  const parsed = parseLadder(setLadderFields(await readRecipeFile(file, 'ladder'), parseFieldFlags(flags.set ?? [])), file);
  const { base, rungs } = parsed;
  const seeds = flags.seeds ? parseSeedList(flags.seeds) : [typeof base['seed'] === 'number' ? base['seed'] : 0];
  const root = resolve(flags.runDir ?? join('runs', basename(file, extname(file))));
  const backend = flags.backend ?? (typeof base['backend'] === 'string' ? base['backend'] : 'auto');
  const started = performance.now();
  const climbed = await climb(parsed, { root, seeds, backend, file, from: pluginFolders(dirname(file)), jobs, resume: flags.resume, force: flags.force, out });
  if (!climbed) return 130;
  const name = typeof base['name'] === 'string' ? base['name'] : basename(file, extname(file));
  const { rows, table, report } = await writeLadderReport(root, {
    title: `Ladder ${name}`,
    backend: climbed.backend,
    seeds,
    runs: climbed.runs,
    rungs,
    facts: { 'rungs at once': jobs, 'wall time': `${((performance.now() - started) / 1000).toFixed(0)} s` },
  });
  out.result({ backend: climbed.backend, seeds, rungs: rows, report }, () => `\n${table}\n\nBackend: ${climbed.backend}. Report: ${report}`);
  return 0;
}
