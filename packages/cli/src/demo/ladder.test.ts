import { createFrugal, validateRecipe } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../default-plugins.js';
import { parseLadder } from '../ladder/run-ladder.js';
import { rungRecipes } from '../ladder/rung-recipes.js';
import { demoLadder } from './ladder.js';

describe('the demo ladder', () => {
  it.each([false, true])('is made of valid recipes, each from the rung below (quick: %s)', (quick) => {
    const frugal = createFrugal({ plugins: defaultPlugins() });
    const { base, rungs } = parseLadder(demoLadder({ labelledPerClass: 10, seed: 0, quick }), 'demo');
    const recipes = rungRecipes(base, rungs, '/tmp/ladder', 0, 'demo');
    expect(recipes.map((r) => validateRecipe(r.recipe, frugal, r.rung.name).strategy.name)).toEqual([
      'supervised',
      'supervised',
      'rotation-pretext',
      'supervised',
      'fixmatch',
      'distill',
    ]);
    const init = recipes.map((r) => (r.recipe['model'] as { init?: string }).init);
    expect(init).toEqual([undefined, undefined, undefined, '/tmp/ladder/3-rotation-source/model', '/tmp/ladder/4-transfer/model', undefined]);
    expect((recipes[5]?.recipe['strategy'] as { params: { teacher: unknown } }).params.teacher).toEqual({ type: 'saved-model', path: '/tmp/ladder/5-fixmatch/model' });
  });
});
