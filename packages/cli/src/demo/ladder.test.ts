import { createFrugal, validateRecipe } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { defaultPlugins } from '../default-plugins.js';
import { ladderRungs } from './ladder.js';
import { demoDatasets, rotationPretext } from './rotation-pretext.js';

describe('the demo ladder', () => {
  it.each([false, true])('is made of valid recipes (quick: %s)', (quick) => {
    const frugal = createFrugal({ plugins: [...defaultPlugins(), demoDatasets()] });
    const rungs = ladderRungs({ labelledPerClass: 10, seed: 0, quick, root: '/tmp/ladder' });
    expect(rungs.map((r) => r.recipe.strategy?.name ?? 'supervised')).toEqual([
      'supervised',
      'supervised',
      'supervised',
      'transfer',
      'distill',
      'noisy-student',
      'fixmatch',
    ]);
    for (const rung of rungs) expect(() => validateRecipe(rung.recipe, frugal, rung.name)).not.toThrow();
  });
});

describe('rotationPretext', () => {
  it('rotates each image a quarter turn at a time and labels it by the rotation', () => {
    // one 2×2 image: [[1, 2], [3, 4]]
    const set = rotationPretext({ shape: [2, 2, 1], pixels: Uint8Array.from([1, 2, 3, 4]), labels: Int32Array.from([7]), classNames: ['x'] }, 1);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 3]);
    expect(Array.from(set.pixels)).toEqual([1, 2, 3, 4, 2, 4, 1, 3, 4, 3, 2, 1, 3, 1, 4, 2]);
  });
});
