import { createFrugal, prepareData, runRecipe, validateRecipe, type Frugal } from '@frugal/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPlugin, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { transfer } from '../plugin.js';
import { checkInputShape, decodingNote, loadModelSource, modelSourceSchema, normalizationNote, startingNetwork, type LoadContext, type LoadedModel } from './model-source.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-source-'));
const runDir = join(root, 'source-run');
let savedWeights: number[][];

beforeAll(async () => {
  await useBackend('auto');
  const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 1 });
  const recipe = validateRecipe(
    { data: { dataset: 'stripes', params: { count: 24 } }, model: { name: 'tiny-staged' }, train: { epochs: 2, batchSize: 8 } },
    frugal,
  );
  const run = await runRecipe(frugal, recipe, { runDir, quiet: true });
  savedWeights = weightValues(run.result.model.model.weights);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

const context = (frugal: Frugal): LoadContext => ({ frugal, model: { name: 'tiny-staged', params: {} }, numClasses: 5, inputShape: [8, 8, 1] });

describe('loadModelSource', () => {
  it('loads a saved model directory with its card', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    const loaded = await loadModelSource(modelSourceSchema.parse({ type: 'saved-model', path: join(runDir, 'model') }), context(frugal));
    expect(weightValues(loaded.model.weights)).toEqual(savedWeights);
    expect(loaded.normalization).toEqual({ mean: [0.5], std: [0.25] });
    expect(loaded.classNames).toEqual(['first', 'second', 'third']);
    expect(loaded.description).toMatch(/tiny-staged, 3 classes/);
  });

  it('points from a run directory to its model folder', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    await expect(loadModelSource(modelSourceSchema.parse({ type: 'saved-model', path: runDir }), context(frugal))).rejects.toThrow(
      /No saved model at .*It looks like a run directory: use ".*model"/,
    );
  });

  it('rebuilds a registry model from a run directory\'s checkpoint', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()], seed: 99 });
    const loaded = await loadModelSource(modelSourceSchema.parse({ type: 'checkpoint', path: runDir, numClasses: 3 }), context(frugal));
    expect(weightValues(loaded.model.weights)).toEqual(savedWeights);
    expect(loaded.description).toMatch(/checkpoint .*epoch-0002.* of tiny-staged/);
    expect(loaded.normalization).toEqual({ mean: [0.5], std: [0.25] }); // from the run's model card
  });

  it('says when a checkpoint does not fit the model', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    const source = modelSourceSchema.parse({ type: 'checkpoint', path: join(runDir, 'checkpoints'), numClasses: 3, model: { name: 'tiny-staged', params: { width: 6 } } });
    await expect(loadModelSource(source, context(frugal))).rejects.toThrow(/has shape \[.*\] in the checkpoint and \[.*\] in the model/);
    const elsewhere = modelSourceSchema.parse({ type: 'checkpoint', path: root, numClasses: 3 });
    await expect(loadModelSource(elsewhere, context(frugal))).rejects.toThrow(/No checkpoint at/);
  });

  it('builds a registry model for the data', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    const loaded = await loadModelSource(modelSourceSchema.parse({ type: 'registry' }), context(frugal));
    expect(loaded.model.outputs[0]?.shape).toEqual([null, 5]);
    expect(loaded.description).toBe('registry model tiny-staged (randomly initialised)');
  });

  it('checks the input shape and the normalisation', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    const loaded = await loadModelSource(modelSourceSchema.parse({ type: 'saved-model', path: join(runDir, 'model') }), context(frugal));
    expect(() => checkInputShape(loaded, [8, 8, 1], 'source network')).not.toThrow();
    expect(() => checkInputShape(loaded, [28, 28, 1], 'source network')).toThrow(/takes images of 8×8×1; the data's images are 28×28×1/);
    expect(normalizationNote(loaded, { mean: [0.5], std: [0.25] }, 'source network')).toBeUndefined();
    expect(normalizationNote(loaded, { mean: [0.1], std: [0.3] }, 'source network')).toMatch(
      /Set the recipe's data.normalization to \{ mean: \[0.5\], std: \[0.25\] \}/,
    );
  });
});

describe('decodingNote', () => {
  const trained = (decode?: LoadedModel['decode']) => ({ model: undefined as never, description: 'saved model m', ...(decode ? { decode } : {}) });

  it('speaks when the network learned its images stretched and this run crops them, or cropped from another scale', () => {
    const stretched = trained({ resize: 'exact', kernel: 'lanczos3' });
    expect(decodingNote(stretched, { resize: 'shorter-side-crop', kernel: 'lanczos3' }, 'teacher')).toBe(
      'The teacher was trained on images fitted to its input with { resize: exact }; this run fits them with { resize: shorter-side-crop }. ' +
        "Set the recipe's data.params to { resize: exact } to feed it images as it learned them.",
    );
    const cropped = trained({ resize: 'shorter-side-crop', shorterSide: 256, kernel: 'linear' });
    expect(decodingNote(cropped, { resize: 'shorter-side-crop', kernel: 'linear' }, 'source network')).toMatch(/\{ resize: shorter-side-crop, shorterSide: 256 \}; this run/);
  });

  it('keeps quiet when the fit is the same but for the kernel, or when either side does not say', () => {
    expect(decodingNote(trained({ resize: 'exact', kernel: 'nearest' }), { resize: 'exact', kernel: 'lanczos3' }, 'teacher')).toBeUndefined();
    expect(decodingNote(trained(), { resize: 'exact', kernel: 'lanczos3' }, 'teacher')).toBeUndefined();
    expect(decodingNote(trained({ resize: 'exact', kernel: 'nearest' }), undefined, 'teacher')).toBeUndefined();
  });
});

describe('data.normalization: pretrained from a transfer source', () => {
  const field = 'strategy.params.source.path';
  const parse = (source: unknown) => modelSourceSchema.parse(source);

  it('names the saved model, the run of a checkpoint, or the registry model a source starts from', () => {
    expect(startingNetwork(parse({ type: 'saved-model', path: 'm' }))).toEqual({ savedModel: 'm', field });
    expect(startingNetwork(parse({ type: 'checkpoint', path: runDir, numClasses: 3 }))).toEqual({ savedModel: runDir, field });
    expect(startingNetwork(parse({ type: 'checkpoint', path: join(runDir, 'checkpoints'), numClasses: 3 }))).toEqual({ savedModel: join(runDir, 'checkpoints', '..'), field });
    expect(startingNetwork(parse({ type: 'checkpoint', path: root, numClasses: 3 }))).toEqual({
      unknown: `the checkpoint source ${root} keeps no normalisation (no model card in its run directory)`,
    });
    expect(startingNetwork(parse({ type: 'registry' }))).toEqual({});
    expect(startingNetwork(parse({ type: 'registry', model: { name: 'resnet18', params: { weights: 'w' } } }))).toEqual({ model: { name: 'resnet18', params: { weights: 'w' } } });
  });

  it("normalises the target's images as the source network's were, not with the target's statistics", async () => {
    const sourceRun = join(root, 'normalised-run');
    const own = { mean: [0.2], std: [0.4] };
    const f0 = createFrugal({ plugins: [tinyPlugin()], seed: 1 });
    const recipe = { data: { dataset: 'stripes', params: { count: 24 }, normalization: own }, model: { name: 'tiny-staged' }, train: { epochs: 1, batchSize: 8 } };
    await runRecipe(f0, validateRecipe(recipe, f0), { runDir: sourceRun, quiet: true });
    for (const source of [{ type: 'saved-model', path: join(sourceRun, 'model') }, { type: 'checkpoint', path: sourceRun, numClasses: 3 }]) {
      const frugal = createFrugal({ plugins: [tinyPlugin(), transfer()] });
      const target = { ...recipe, data: { ...recipe.data, normalization: 'pretrained' }, strategy: { name: 'transfer', params: { source } } };
      const data = await prepareData(frugal, validateRecipe(target, frugal));
      expect(data.normalization, source.type).toEqual(own);
      expect(data.source.normalization).toEqual({ mean: [0.5], std: [0.25] });
    }
  });
});
