import { createFrugal, readRecipeFile, validateRecipe } from '@frugal/core';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../default-plugins.js';
import { parseLadder } from './run-ladder.js';
import { rungRecipes } from './rung-recipes.js';

const repo = join(import.meta.dirname, '..', '..', '..', '..');
const bench = 'tools/bench/semi-supervised';
const benchLadders = [bench, `${bench}/variants`].flatMap((dir) =>
  readdirSync(join(repo, dir))
    .filter((f) => f.startsWith('ladder') && f.endsWith('.yaml'))
    .map((f) => `${dir}/${f}`),
);

const benchRecipes = readdirSync(join(repo, bench, 'variants'))
  .filter((f) => f.endsWith('.json'))
  .map((f) => `${bench}/variants/${f}`);

describe('the ladder and recipe files of the docs and the benchmarks', () => {
  const frugal = createFrugal({ plugins: defaultPlugins() });

  it('finds the benchmark ladders', () => expect(benchLadders.length).toBeGreaterThanOrEqual(6));

  it.each(['docs/examples/recipes/ladder.yaml', ...benchLadders])('%s: every rung is a valid recipe', async (file) => {
    const { base, rungs } = parseLadder(await readRecipeFile(join(repo, file)), file);
    const recipes = rungRecipes(base, rungs, '/tmp/ladder', 0, file);
    for (const { rung, recipe } of recipes) expect(() => validateRecipe(recipe, frugal, `${file} rung "${rung.name}"`)).not.toThrow();
    // the rungs build on each other, unless every one after the first says it starts fresh (a curve)
    const curve = rungs.slice(1).every((rung) => rung.start === 'fresh');
    expect(curve || recipes.some((r) => (r.recipe['model'] as { init?: string }).init !== undefined)).toBe(true);
  });

  it.each(benchRecipes)('%s: is a valid recipe', async (file) => {
    const recipe = await readRecipeFile(join(repo, file));
    expect(() => validateRecipe(recipe, frugal, file)).not.toThrow();
  });
});
