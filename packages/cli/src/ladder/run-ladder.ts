import { join, relative } from 'node:path';
import { runRecipe, validateRecipe, type FrugalPlugin } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { writeRunReport } from '../report/run-report.js';
import { pct } from '../table.js';
import { ladderSchema, type LadderInput, type RungSpec } from './ladder-schema.js';
import { rungRecipes } from './rung-recipes.js';
import { UsageError } from '../usage-error.js';

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
  /** Its wall time, with the preparation rungs right above it. */
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
  readonly extra?: readonly FrugalPlugin[];
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
  const parsed = ladderSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UsageError(`${file}: ${issue?.path.join('.') || 'the file'}: ${issue?.message}. A ladder is a recipe with a list of rungs (name, and what each changes)`);
  }
  const { rungs, ...base } = parsed.data as LadderInput & { rungs: RungSpec[] };
  return { base, rungs };
}

/**
 * Climbs a ladder: every rung an ordinary recipe run (its own run directory and report), each
 * starting from the model of the rung it names; with several seeds, the whole ladder once per seed.
 */
export async function runLadder({ base, rungs }: Ladder, options: LadderRunOptions): Promise<{ backend: string; runs: RungRun[] }> {
  const { out } = options;
  const runs: RungRun[] = [];
  let backend = '';
  for (const seed of options.seeds) {
    const root = options.seeds.length > 1 ? join(options.root, `seed-${seed}`) : options.root;
    const resolved = rungRecipes(base, rungs, root, seed, options.file);
    const used = new Map<string, number>();
    const rungAbove = (ref: string | undefined, i: number) => (ref === 'previous' ? resolved[i - 1]?.rung.name : ref);
    let preparationSeconds = 0;
    for (const [i, { rung, dir, recipe: raw }] of resolved.entries()) {
      const frugal = await frugalWith({ seed, plugins: base['plugins'], from: options.from, extra: options.extra, source: `${options.file} plugins` });
      if (!backend) backend = (await activateBackend(frugal, options.backend)).name;
      const recipe = validateRecipe(raw, frugal, `${options.file} rung "${rung.name}"`);
      out.note(`\n== ${rung.name}${options.seeds.length > 1 ? ` (seed ${seed})` : ''}${rung.explain ? `: ${rung.explain}` : ''}`);
      const run = await runRecipe(frugal, recipe, { runDir: dir, quiet: out.quiet || out.json, log: (m) => out.note(`   ${m}`) });
      out.note(`   test accuracy ${pct(run.evaluation?.accuracy)} in ${run.seconds.toFixed(0)} s`);
      await writeRunReport(frugal, dir, recipe, run);
      // The unlabelled images behind a rung: its own, and those of the rungs it starts from or learns from.
      const own = LABELLED_ONLY.has(recipe.strategy.name) ? 0 : run.data.unlabelled;
      const teachers = [rung.teacher ?? []].flat();
      const inherited = [rung.start, ...teachers].map((ref) => used.get(rungAbove(ref, i) ?? '') ?? 0);
      used.set(rung.name, Math.max(own, ...inherited));
      if (rung.preparation) {
        preparationSeconds += run.seconds;
        continue;
      }
      runs.push({
        rung: rung.name,
        seed,
        dir: relative(options.root, dir),
        accuracy: run.evaluation?.accuracy ?? NaN,
        labels: run.data.labelled,
        unlabelled: used.get(rung.name) ?? 0,
        seconds: run.seconds + preparationSeconds,
      });
      preparationSeconds = 0;
    }
  }
  return { backend, runs };
}
