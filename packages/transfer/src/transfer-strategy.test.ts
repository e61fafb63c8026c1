import { createFrugal, evaluate, fileHandler, runRecipe, validateRecipe } from '@frugal/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { transfer } from './index.js';
import { stripes, tinyPlugin } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';

const root = mkdtempSync(join(tmpdir(), 'frugal-transfer-'));
const sourceRun = join(root, 'source');
const norm = { mean: [0.5], std: [0.25] };

beforeAll(async () => {
  await useBackend('auto');
  // the source task: vertical bands, plenty of labels
  const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 1 });
  const recipe = validateRecipe(
    {
      data: { dataset: 'stripes', params: { count: 60, horizontal: true } },
      model: { name: 'tiny-staged', params: { width: 6 } },
      train: { epochs: 6, batchSize: 8, optimizer: { lr: 0.1 } },
    },
    frugal,
  );
  await runRecipe(frugal, recipe, { runDir: sourceRun, quiet: true });
}, 60_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The target task: horizontal bands (the source saw vertical ones), 4 labels per class. */
const targetRecipe = (strategy: Record<string, unknown>, epochs = 8) => ({
  seed: 3,
  data: { dataset: 'stripes', labelledPerClass: 4, validationPerClass: 2, params: { count: 60, horizontal: true } },
  model: { name: 'tiny-staged', params: { width: 6 } },
  strategy: { name: 'transfer', params: { source: { type: 'saved-model', path: join(sourceRun, 'model') }, ...strategy } },
  train: { epochs, batchSize: 4, optimizer: { lr: 0.1 } },
});

describe('@frugal/transfer', () => {
  it('registers the transfer strategy, without side effects at import', () => {
    expect(createFrugal({ plugins: [transfer()] }).strategies.names()).toContain('transfer');
    expect(createFrugal({ plugins: [transfer({ prefix: 'x-' })] }).strategies.names()).toContain('x-transfer');
    expect(createFrugal().strategies.names()).not.toContain('transfer');
  });

  it('names the bad field of the strategy parameters', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()] });
    expect(() => validateRecipe(targetRecipe({ mode: 'linear-probe', lrBackbone: 0.01 }), frugal)).toThrow(
      /lrBackbone.*applies to mode "fine-tune" only/s,
    );
    expect(() => validateRecipe(targetRecipe({ mode: 'freeze' }), frugal)).toThrow(/mode/);
    expect(() => validateRecipe(targetRecipe({ source: { type: 'checkpoint', path: 'x' } }), frugal)).toThrow(/numClasses/);
  });

  it("transfers from the recipe's model started from model.init (a ladder rung's start), and refuses a second network beside it", async () => {
    const fromInit = (source?: object) => ({
      ...targetRecipe({}, 3),
      model: { name: 'tiny-staged', params: { width: 6 }, init: sourceRun },
      strategy: { name: 'transfer', params: { mode: 'linear-probe', ...(source ? { source } : {}) } },
    });
    const run = async (recipe: object) => {
      const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 3 });
      return runRecipe(frugal, validateRecipe(recipe, frugal), { quiet: true });
    };
    const started = await run(fromInit());
    expect(started.result.details?.source).toMatch(/^registry model tiny-staged started from .*source.model \(\d+ weights copied\)$/);
    // The same backbone as the saved model's, the same new head: the same network after the same training.
    const saved = await run(targetRecipe({ mode: 'linear-probe' }, 3));
    expect(started.evaluation).toEqual(saved.evaluation);
    await expect(run(fromInit({ type: 'saved-model', path: join(sourceRun, 'model') }))).rejects.toThrow(
      /^model\.init \(.*source.model\) and strategy\.params\.source \(.*source.model\) both name the network to transfer from; leave model\.init out/,
    );
  });

  it.each(['linear-probe', 'fine-tune'])('runs %s from a recipe, writing a model with the new head', async (mode) => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 3 });
    const runDir = join(root, mode);
    const params = mode === 'fine-tune' ? { mode, gradualUnfreezing: { headEpochs: 2 } } : { mode, head: { hidden: 8, dropout: 0.1 } };
    const run = await runRecipe(frugal, validateRecipe(targetRecipe(params, 10), frugal), { runDir, quiet: true });
    expect(run.result.details).toMatchObject({ mode, source: expect.stringMatching(/saved model/) });
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.6);
    const saved = await tfl.loadLayersModel(fileHandler(join(runDir, 'model')));
    expect(saved.getLayer('head').weights[0]?.shape[1]).toBe(3);
    expect(evaluate(saved, stripes(30, 2, true), { normalization: norm }).accuracy).toBe(run.evaluation?.accuracy);
  });

  it('is deterministic: same seed, same numbers', async () => {
    const once = async () => {
      const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 3 });
      const r = await runRecipe(frugal, validateRecipe(targetRecipe({ layerDecay: 0.5 }, 2), frugal), { quiet: true });
      return r.evaluation?.loss;
    };
    expect(await once()).toBe(await once());
  });

  it('rejects a source built for other images, saying what to do', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()], seed: 3 });
    const recipe = targetRecipe({ mode: 'linear-probe' });
    const bigger = { ...recipe, data: { ...recipe.data, params: { count: 60, horizontal: true, size: 12 } } };
    await expect(runRecipe(frugal, validateRecipe(bigger, frugal), { quiet: true })).rejects.toThrow(
      /takes images of 8×8×1; the data's images are 12×12×1\. Resize the data/,
    );
  });
});
