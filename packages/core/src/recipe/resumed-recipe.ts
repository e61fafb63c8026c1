import { join } from 'node:path';
import { FrugalInputError } from '../errors.js';
import type { Frugal } from '../frugal.js';
import { readRecipeFile } from './load.js';
import type { Recipe } from './schema.js';
import { validateRecipe } from './validate.js';

/** The first field where `a` and `b` differ, as a dotted path with both values; undefined when equal. */
function firstDifference(a: unknown, b: unknown, path = ''): { path: string; a: unknown; b: unknown } | undefined {
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const key of keys) {
      const found = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], Array.isArray(a) ? `${path}[${key}]` : path ? `${path}.${key}` : key);
      if (found) return found;
    }
    return undefined;
  }
  return JSON.stringify(a) === JSON.stringify(b) ? undefined : { path: path || '(the whole recipe)', a, b };
}

const shown = (value: unknown): string => (value === undefined ? 'nothing' : JSON.stringify(value));

/**
 * Refuses to resume the run in `runDir` with a recipe other than its own (`recipe.json`, checked
 * as the recipe is): the checkpoints were made by that recipe, and its file must keep saying what
 * made the weights.
 */
export async function checkResumedRecipe(frugal: Frugal, recipe: Recipe, runDir: string): Promise<void> {
  const file = join(runDir, 'recipe.json');
  const own = validateRecipe(await readRecipeFile(file), frugal, file);
  const differs = firstDifference(JSON.parse(JSON.stringify(own)), JSON.parse(JSON.stringify(recipe)));
  if (differs) {
    throw new FrugalInputError(
      `${file} says ${differs.path}: ${shown(differs.a)}, and the recipe given to resume it ${shown(differs.b)}; ` +
        'a run resumes with its own recipe: resume with that file (frugal train --resume), or start a new run',
    );
  }
}
