import { resolve } from 'node:path';
import { readRecipeFile, validateRecipe } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { writeRecipePreview } from '../preview.js';

/** `frugal preview RECIPE` — the augmentation grid PNG of the recipe's pipeline. */
export async function preview(recipeFile: string, flags: { out?: string; images?: string; versions?: string; backend?: string }, out: Output): Promise<number> {
  const raw = await readRecipeFile(recipeFile);
  const r = raw as { seed?: number; plugins?: string[] };
  const frugal = await frugalWith({ seed: r.seed, plugins: r.plugins });
  const recipe = validateRecipe(raw, frugal);
  await activateBackend(frugal, flags.backend ?? recipe.backend);
  const file = resolve(flags.out ?? 'augmentation-preview.png');
  await writeRecipePreview(frugal, recipe, file, {
    images: flags.images ? Number(flags.images) : undefined,
    versions: flags.versions ? Number(flags.versions) : undefined,
  });
  out.result({ file, pipeline: recipe.augment }, () => `Wrote ${file} (original + augmented versions of ${recipe.augment.length ? recipe.augment.map((a) => a.op).join(' → ') : 'no augmentation'})`);
  return 0;
}
