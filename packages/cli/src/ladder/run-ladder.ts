import { rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { formatZodError, recipeSchema, validateRecipe, type Frugal, type FrugalPlugin } from '@frugal/core';
import { z } from 'zod';
import { runInChild } from '../child/run-in-child.js';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { pct } from '../table.js';
import { applyRecipePrecision, checkPrecision } from '../precision.js';
import { applyRecipeThreads, sharedThreadsNote, threadsPerProcess } from '../threads.js';
import { UsageError } from '../usage-error.js';
import { ladderSchema, rungSchema, type LadderInput, type RungSpec } from './ladder-schema.js';
import { runRung, type RungResult, type RungTask } from './run-rung.js';
import { holdsRun, rungState, type RungState } from './rung-state.js';
import { rungRecipes, type RungRecipe } from './rung-recipes.js';
import { runScheduled } from './schedule.js';

/** One rung's run for one seed. */
export interface RungRun {
  readonly rung: string;
  readonly seed: number;
  /** Its run directory, relative to the ladder's. */
  readonly dir: string;
  readonly accuracy: number;
  readonly labels: number;
  /** Unlabelled images this rung or a rung it builds on trained with (0 when none did). */
  readonly unlabelled: number;
  /** Its wall time, with that of the preparation rungs it builds on. */
  readonly seconds: number;
}

export interface LadderRunOptions {
  /** Where the runs go: `root/<position>-<rung>`, or `root/seed-<n>/…` with several seeds. */
  readonly root: string;
  readonly seeds: readonly number[];
  readonly backend: string;
  /** The ladder file, for messages. */
  readonly file: string;
  /** Where its plugins are resolved from. */
  readonly from?: readonly string[];
  /** Plugins given as objects (tests): they live in this process, so only with `jobs` 1. */
  readonly extra?: readonly FrugalPlugin[];
  /** Rungs that may train at once, each in a process of its own (default 1: one after another, in this process). */
  readonly jobs?: number;
  /** Continue an unfinished climb in `root`: finished rungs are kept, an interrupted one resumes. */
  readonly resume?: boolean;
  /** Clear the runs an unfinished climb left in `root`, and climb again. */
  readonly force?: boolean;
  /** Stops the climb: the rungs training stop at their next step, with a checkpoint. */
  readonly signal?: AbortSignal;
  readonly out: Output;
}

/** Strategies that train on the labelled images only; any other uses the unlabelled ones. */
const LABELLED_ONLY = new Set(['supervised', 'transfer']);

/** A parsed ladder: the recipe every rung shares, and the rungs in climbing order. */
export interface Ladder {
  readonly base: Record<string, unknown>;
  readonly rungs: RungSpec[];
}

/** Parses a ladder (a recipe with `rungs`); one clear line for a malformed one. */
export function parseLadder(raw: unknown, file: string): Ladder {
  if (typeof raw === 'object' && raw !== null && !Array.isArray(raw) && !('rungs' in raw)) {
    throw new UsageError(`${file} is a recipe without rungs, not a ladder: train it with frugal train ${file}, or add rungs (a list of them: name, and what each changes)`);
  }
  const parsed = ladderSchema.safeParse(raw);
  if (!parsed.success) {
    throw new UsageError(`${ladderError(file, parsed.error, raw, ladderSchema)}. A ladder is a recipe with a list of rungs (name, and what each changes)`);
  }
  const { rungs, ...base } = parsed.data as LadderInput & { rungs: RungSpec[] };
  refuseBadSharedFields(base, file);
  return { base, rungs };
}

/** The sections a rung may change (merge into or replace): checked with each rung's recipe, where the rung's own fields are known. */
const rungSections = Object.keys(rungSchema.shape).filter((key) => key in recipeSchema.shape);
const sharedFieldsSchema = recipeSchema.extend(Object.fromEntries(rungSections.map((key) => [key, z.unknown()]))).partial();

/**
 * The ladder's own fields outside its sections (seed, name, plugins...) and its unknown keys, checked
 * once and named as the ladder's: every rung would report them as its own.
 */
function refuseBadSharedFields(base: Record<string, unknown>, file: string): void {
  const checked = sharedFieldsSchema.safeParse(base);
  if (!checked.success) throw new UsageError(ladderError(file, checked.error, base, recipeSchema));
}

/** The first problem, after the file's name: `ladder.yaml: rungs[0]: unknown key "strat" (did you mean "start"?)...`. */
function ladderError(file: string, error: z.ZodError, input: unknown, schema: z.ZodType): string {
  const first = formatZodError(error, '', input, schema).split('\n')[0] as string;
  return `${file}: ${first.replace(/^\(root\): /, '')}`;
}

/** A rung of one seed's climb, ready to train. */
interface Unit extends RungRecipe {
  readonly seed: number;
  readonly label: string;
  /** Names it in messages: `ladder.yaml rung "fixmatch"`. */
  readonly source: string;
}

/**
 * Climbs a ladder: every rung an ordinary recipe run (its own run directory and report), each
 * starting from the model of the rung it names; with several seeds, the whole ladder once per seed.
 * Every rung's recipe is checked before anything trains. With `jobs` above 1, rungs that do not
 * wait for each other (and the seeds' climbs) train side by side, each in a process of its own.
 */
export async function runLadder({ base, rungs }: Ladder, options: LadderRunOptions): Promise<{ backend: string; runs: RungRun[] }> {
  const { out, seeds } = options;
  const jobs = options.jobs ?? 1;
  const units: Unit[] = seeds.flatMap((seed, s) => {
    const root = seeds.length > 1 ? join(options.root, `seed-${seed}`) : options.root;
    return rungRecipes(base, rungs, root, seed, options.file).map((r) => ({
      ...r,
      seed,
      label: seeds.length > 1 ? `${r.rung.name} (seed ${seed})` : r.rung.name,
      source: `${options.file} rung "${r.rung.name}"`,
      after: r.after.map((at) => at + s * rungs.length),
    }));
  });
  if (jobs > 1 && options.extra?.length) throw new Error('Plugins given as objects live in this process: name them in the recipe\'s plugins to train rungs in processes of their own');
  const frugal = await frugalWith({ plugins: base['plugins'], from: options.from, extra: options.extra, source: `${options.file} plugins` });
  // Each rung checked, and with --resume, what an earlier climb left of it.
  const climbing = units.map((unit) => {
    const recipe = validateRung(unit, frugal);
    const state: RungState = options.resume ? rungState(unit.dir, recipe, unit.source) : { kind: 'empty' };
    return { ...unit, state };
  });
  const begun = options.resume ? [] : units.filter((unit) => holdsRun(unit.dir));
  if (begun.length > 0 && !options.force) {
    throw new UsageError(
      `${options.root} holds a climb that did not finish (${begun.map((u) => u.label).join(', ')} began there); ` +
        'continue it with --resume, or pass --force to climb it again',
    );
  }
  for (const unit of begun) await rm(unit.dir, { recursive: true, force: true });
  const task = ({ state, ...unit }: Unit & { state: RungState }): RungTask => ({
    recipe: unit.recipe,
    dir: unit.dir,
    seed: unit.seed,
    source: unit.source,
    from: options.from,
    pluginSource: `${options.file} plugins`,
    quiet: out.quiet || out.json,
    resume: state.kind === 'interrupted',
    force: state.kind === 'unsaved',
  });
  // Chosen here, once: with several processes, each takes the backend (threads, precision) this one found.
  applyRecipeThreads(base['threads']);
  applyRecipePrecision(base['precision'], options.file);
  const backend = (await activateBackend(frugal, options.backend)).name;
  checkPrecision(backend);
  const threads = threadsPerProcess(jobs);
  if (jobs > 1 && backend === 'native') out.note(sharedThreadsNote(jobs, threads, 'rungs'));
  const train = (unit: Unit & { state: RungState }, signal: AbortSignal): Promise<RungResult> => {
    const stop = options.signal ? AbortSignal.any([signal, options.signal]) : signal;
    return jobs === 1
      ? runRung(task(unit), (m) => out.note(`   ${m}`), { extra: options.extra, signal: options.signal })
      : runInChild('rung', task(unit), {
          backend,
          threads,
          name: unit.source,
          log: (m) => out.note(`   [${unit.label}] ${m}`),
          signal: stop,
          // A Ctrl-C reaches this process alone, which stops every rung at its next step, with a checkpoint.
          detached: true,
          checkpointOnStop: true,
        });
  };
  const results = await runScheduled(climbing, jobs, async (unit, signal) => {
    const { state } = unit;
    if (state.kind === 'finished') {
      out.note(`${jobs === 1 ? '\n== ' : '== '}${unit.label}: kept from the earlier climb, test accuracy ${pct(state.result.accuracy)}`);
      return state.result;
    }
    const explain = unit.rung.explain ? `: ${unit.rung.explain}` : '';
    const resumed = { empty: '', unsaved: ', started over (stopped before its first checkpoint)', interrupted: ', resumed from its last checkpoint' }[state.kind];
    out.note(jobs === 1 ? `\n== ${unit.label}${explain}${resumed}` : `== ${unit.label} started${explain}${resumed}`);
    const result = await train(unit, signal);
    out.note(`   ${jobs === 1 ? '' : `${unit.label}: `}test accuracy ${pct(result.accuracy)} in ${result.seconds.toFixed(0)} s`);
    return result;
  });
  return { backend, runs: ladderRuns(units, results, options.root) };
}

/**
 * The ladder's rows, seed by seed in climbing order: a rung's unlabelled images are its own and those
 * of the rungs it starts from or learns from; its time includes the preparation rungs it builds on.
 */
function ladderRuns(units: readonly Unit[], results: readonly RungResult[], root: string): RungRun[] {
  const used: number[] = [];
  for (const [i, unit] of units.entries()) {
    const result = results[i] as RungResult;
    const own = LABELLED_ONLY.has(result.strategy) ? 0 : result.unlabelled;
    used[i] = Math.max(own, ...unit.after.map((at) => used[at] ?? 0));
  }
  // The preparation rungs a rung builds on, through other preparation rungs only.
  const preparations = (i: number, seen = new Set<number>()): Set<number> => {
    for (const at of units[i]?.after ?? []) {
      if (!units[at]?.rung.preparation || seen.has(at)) continue;
      seen.add(at);
      preparations(at, seen);
    }
    return seen;
  };
  const secondsOf = (i: number) => (results[i] as RungResult).seconds;
  return units.flatMap((unit, i) => {
    if (unit.rung.preparation) return [];
    const result = results[i] as RungResult;
    const run: RungRun = {
      rung: unit.rung.name,
      seed: unit.seed,
      dir: relative(root, unit.dir),
      accuracy: result.accuracy,
      labels: result.labelled,
      unlabelled: used[i] ?? 0,
      seconds: [...preparations(i)].reduce((total, at) => total + secondsOf(at), secondsOf(i)),
    };
    return [run];
  });
}

/** A rung's recipe, validated; a `teacher` for a strategy that takes none is named as the rung's field it is. */
function validateRung(unit: RungRecipe & { source: string }, frugal: Frugal) {
  try {
    return validateRecipe(unit.recipe, frugal, unit.source);
  } catch (error) {
    if (unit.rung.teacher !== undefined && /strategy\.params: unknown key "teacher"/.test((error as Error).message)) {
      const strategy = (unit.recipe['strategy'] as { name?: string } | undefined)?.name ?? 'supervised';
      throw new UsageError(`${unit.source}: teacher names the rungs whose models teach this one, for a strategy that takes a teacher (distill); strategy "${strategy}" takes none: set strategy: { name: distill }, or leave teacher out`);
    }
    throw error;
  }
}
