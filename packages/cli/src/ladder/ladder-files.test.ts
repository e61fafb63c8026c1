import { createFrugal, readRecipeFile, validateRecipe } from '@frugal/core';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../default-plugins.js';
import { parseLadder } from './run-ladder.js';
import { rungRecipes } from './rung-recipes.js';

const repo = join(import.meta.dirname, '..', '..', '..', '..');

describe('the ladder files of the docs and the benchmarks', () => {
  it.each(['docs/examples/recipes/ladder.yaml', 'tools/bench/semi-supervised/ladder-fashion-mnist.yaml'])('%s: every rung is a valid recipe', async (file) => {
    const frugal = createFrugal({ plugins: defaultPlugins() });
    const { base, rungs } = parseLadder(await readRecipeFile(join(repo, file)), file);
    const recipes = rungRecipes(base, rungs, '/tmp/ladder', 0, file);
    for (const { rung, recipe } of recipes) expect(() => validateRecipe(recipe, frugal, `${file} rung "${rung.name}"`)).not.toThrow();
    expect(recipes.some((r) => (r.recipe['model'] as { init?: string }).init !== undefined)).toBe(true);
  });
});
