import { readRecipeFile } from '@frugal/core';
import { UsageError } from './usage-error.js';

/** A recipe file's fields, refusing a ladder file given where a recipe goes. */
export async function readRecipe(file: string): Promise<Record<string, unknown>> {
  const raw = await readRecipeFile(file);
  if ('rungs' in raw) throw new UsageError(`${file} is a ladder file (it has rungs), not a recipe: climb it with frugal ladder ${file}`);
  return raw;
}
