import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { runRecipe } from '../recipe/run-recipe.js';
import { validateRecipe } from '../recipe/validate.js';
import { Rng } from '../rng.js';
import { buildModel } from '../strategy-kit/build-model.js';
import { stripes, strategyContext, tinyCnnPlugin, tinyConvNet, useCpu, weightValues } from '../testing/index.js';
import { applyInitialWeights, loadInitialWeights } from './initial-weights.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-init-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const recipe = {
  seed: 3,
  data: { dataset: 'stripes', labelledPerClass: 8, params: { count: 60, testCount: 30 } },
  model: { name: 'tiny-cnn' },
  train: { epochs: 2, batchSize: 8, optimizer: { lr: 0.1 } },
};

describe('model.init', () => {
  it('copies every weight that fits and leaves a head for another class count as initialised', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()] });
    const dir = join(root, 'source');
    await runRecipe(frugal, validateRecipe(recipe, frugal), { runDir: dir, quiet: true });
    const init = await loadInitialWeights(dir);
    const saved = weightValues(Object.values(init.tensors).map((t) => ({ read: () => t })));
    const fiveClasses = tinyConvNet(5, [8, 8, 1], new Rng(9));
    const before = weightValues(fiveClasses.weights);
    const { copied, fresh } = applyInitialWeights(fiveClasses, init, 'tiny-cnn');
    const after = weightValues(fiveClasses.weights);
    // Weights in order: conv kernel, BatchNorm's γ and β, the head's kernel and bias, BatchNorm's
    // statistics. All but the 5-class head's two are copied; those keep their initialisation.
    expect(copied).toBe(5);
    expect(fresh).toEqual([fiveClasses.weights[3]?.originalName, fiveClasses.weights[4]?.originalName]);
    for (const i of [0, 1, 2, 5, 6]) expect(after[i]).toEqual(saved[i]);
    for (const i of [3, 4]) expect(after[i]).toEqual(before[i]);
    expect(after[0]).not.toEqual(before[0]);
    fiveClasses.dispose();
    init.dispose();
  });

  it('starts every model of the recipe\'s model name from it, and says so', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()] });
    const init = await loadInitialWeights(join(root, 'source'));
    const logs: string[] = [];
    const labelled = stripes(12, 3);
    const ctx = strategyContext(frugal, { labelled }, validateRecipe(recipe, frugal).train, { model: { name: 'tiny-cnn', params: {} }, init, log: (m) => logs.push(m) });
    const built = buildModel(ctx);
    expect(weightValues(built.model.weights)).toEqual(weightValues(Object.values(init.tensors).map((t) => ({ read: () => t }))));
    expect(logs).toEqual([expect.stringMatching(/^Started tiny-cnn from .*source[/\\]model: 7 weights copied$/)]);
    built.model.dispose();
    init.dispose();
  });

  it('is read by runRecipe from the recipe', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()] });
    const logs: string[] = [];
    const from = { ...recipe, model: { name: 'tiny-cnn', init: join(root, 'source', 'model') }, train: { ...recipe.train, epochs: 1 } };
    await runRecipe(frugal, validateRecipe(from, frugal), { log: (m) => logs.push(m) });
    expect(logs.filter((l) => l.startsWith('Started tiny-cnn from '))).toHaveLength(1);
  });

  it('refuses a path with no saved model, and a saved model of another architecture', async () => {
    const frugal = createFrugal({ plugins: [tinyCnnPlugin()] });
    const missing = { ...recipe, model: { name: 'tiny-cnn', init: join(root, 'nowhere') } };
    await expect(runRecipe(frugal, validateRecipe(missing, frugal), { quiet: true })).rejects.toThrow(/model\.init: no saved model at ".*nowhere" \(no model\.json there or in its model\/ folder\)/);
    const init = await loadInitialWeights(join(root, 'source'));
    const other = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [7] })] });
    expect(() => applyInitialWeights(other, init, 'dense')).toThrow(/shares no weight \(name and shape\) with model "dense"/);
    other.dispose();
    init.dispose();
  });
});
