import { dirname, resolve } from 'node:path';
import { validateRecipe } from '@frugal/core';
import { activateBackend, frugalWith } from '../frugal-instance.js';
import { applyRecipeThreads } from '../threads.js';
import type { Output } from '../output.js';
import { isPreviewPng, refuseForeignOutput } from '../output-file.js';
import { writeRecipePreview } from '../preview.js';
import { readRecipe } from '../recipe-file.js';
import { UsageError } from '../usage-error.js';
import { countFlag } from '../count-flag.js';
import { pluginFolders } from './train.js';

/** `frugal preview RECIPE` — the augmentation grid PNG of the recipe's pipeline. */
export async function preview(recipeFile: string, flags: { out?: string; images?: string; versions?: string; backend?: string }, out: Output): Promise<number> {
  const images = countFlag(flags.images, '--images', 8, 64);
  const versions = countFlag(flags.versions, '--versions', 6, 32);
  const file = resolve(flags.out ?? 'augmentation-preview.png');
  await refuseForeignOutput(file, '--out', 'a preview grid frugal preview wrote', isPreviewPng);
  if (!file.toLowerCase().endsWith('.png')) throw new UsageError(`--out ${flags.out}: the preview grid is a PNG image; give a name ending in .png`);
  const raw = await readRecipe(recipeFile);
  const r = raw as { seed?: number; plugins?: unknown };
  const frugal = await frugalWith({ seed: r.seed, plugins: r.plugins, from: pluginFolders(dirname(recipeFile)) });
  const recipe = validateRecipe(raw, frugal);
  applyRecipeThreads(recipe.threads);
  await activateBackend(frugal, flags.backend ?? recipe.backend);
  await writeRecipePreview(frugal, recipe, file, { images, versions, log: (message) => out.note(message) });
  out.result({ file, pipeline: recipe.augment }, () => `Wrote ${file} (original + augmented versions of ${recipe.augment.length ? recipe.augment.map((a) => a.op).join(' → ') : 'no augmentation'})`);
  return 0;
}
