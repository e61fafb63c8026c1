import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { recipeSchema, type Recipe } from '@frugal/core';
import { UsageError } from '../usage-error.js';
import type { RungResult } from './run-rung.js';

/** What a rung's run directory holds from an earlier climb of the ladder. */
export type RungState =
  | { readonly kind: 'empty' }
  /** Stopped before its first checkpoint: it starts over. */
  | { readonly kind: 'unsaved' }
  | { readonly kind: 'interrupted' }
  | { readonly kind: 'finished'; readonly result: RungResult };

/** Whether a run directory holds a run (its recipe, written when its training began). */
export function holdsRun(dir: string): boolean {
  return existsSync(join(dir, 'recipe.json'));
}

/** Whether a run directory holds a checkpoint, its own or one of a training inside it (a warm-up, a generation). */
function holdsCheckpoint(dir: string): boolean {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).some((entry) => basename(entry) === 'latest.json' && basename(dirname(entry)) === 'checkpoints');
}

/**
 * A rung's run directory, for `frugal ladder --resume`: a run with its model, summary and report is
 * finished, and its result is read back; a run without them was interrupted, and resumes from its
 * last checkpoint, or starts over when it has none. A run of another recipe than the rung's is bad
 * input: the ladder, or the flags it was climbed with, changed since.
 */
export function rungState(dir: string, recipe: Recipe, source: string): RungState {
  if (!holdsRun(dir)) return { kind: 'empty' };
  // As JSON, the way `runRecipe` records it; the recorded one with the defaults of fields added since.
  const recorded: unknown = JSON.parse(readFileSync(join(dir, 'recipe.json'), 'utf8'));
  const filled = recipeSchema.safeParse(recorded);
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(filled.success ? filled.data : recorded)), JSON.parse(JSON.stringify(recipe)))) {
    throw new UsageError(
      `${source}: ${dir} holds a run of another recipe (the ladder file or its flags changed since that climb); ` +
        'climb with the same file and flags to resume, or pass --force to climb it again',
    );
  }
  const done = ['summary.json', join('model', 'model.json'), 'report.html'].every((file) => existsSync(join(dir, file)));
  if (!done) return { kind: holdsCheckpoint(dir) ? 'interrupted' : 'unsaved' };
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as {
    data: { labelled: number; unlabelled: number };
    seconds: number;
    evaluation?: { accuracy: number };
  };
  return {
    kind: 'finished',
    result: {
      strategy: recipe.strategy.name,
      accuracy: summary.evaluation?.accuracy ?? Number.NaN,
      labelled: summary.data.labelled,
      unlabelled: summary.data.unlabelled,
      seconds: summary.seconds,
    },
  };
}
