import { createFrugal, prepareData, validateRecipe } from '@frugal/core';
import { tinyPlugin } from '@frugal/core/testing';
import { describe, expect, it } from 'vitest';
import { barsDataset } from './bars-dataset.js';

const recipe = { seed: 1, data: { dataset: 'bars', labelledPerClass: 5, params: { count: 40, size: 8 } }, model: { name: 'tiny-staged' } };

describe('the bars dataset', () => {
  it('loads from a recipe and splits into labelled, unlabelled and test images', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), barsDataset()] });
    const data = await prepareData(frugal, validateRecipe(recipe, frugal));
    expect(data.classNames).toEqual(['horizontal', 'vertical']);
    expect([data.labelled.labels.length, data.unlabelled?.labels.length, data.test?.labels.length]).toEqual([10, 30, 10]);
    expect(data.labelled.shape).toEqual([8, 8, 1]);
  });

  it('draws the same images for the same seed', async () => {
    const load = () => createFrugal({ plugins: [barsDataset()] }).datasets.load('bars', { count: 6, size: 4 });
    const [a, b] = [await load(), await load()];
    expect(Array.from(a.train.pixels)).toEqual(Array.from(b.train.pixels));
  });

  it('names the bad parameter', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), barsDataset()] });
    expect(() => validateRecipe({ ...recipe, data: { ...recipe.data, params: { size: 2 } } }, frugal)).toThrow(/recipe\.data\.params\.size: got 2/);
  });
});
