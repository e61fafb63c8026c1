import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { saveModel } from '../io/saved-model.js';
import type { FrugalPlugin } from '../plugin.js';
import { Rng } from '../rng.js';
import { stripes, tinyCnnPlugin, tinyConvNet, useCpu } from '../testing/index.js';
import type { Normalization } from '../types.js';
import { prepareData } from './run-recipe.js';
import { validateRecipe } from './validate.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-normalization-'));
const saved = join(root, 'run');
const IMPORTED = { mean: [0.4], std: [0.2] };
beforeAll(async () => {
  await useCpu();
  const model = tinyConvNet(3, [8, 8, 1], new Rng(1));
  await saveModel(model, join(saved, 'model'), { model: 'tiny-cnn', classNames: ['a', 'b', 'c'], inputShape: [8, 8, 1], normalization: { mean: [0.3], std: [0.1] } });
  model.dispose();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

/**
 * An instance whose `counted` dataset records whether the run asked for its statistics; `imported`,
 * a model whose weights expect IMPORTED; and `reuse`, a strategy that starts from its `from`.
 */
function instance() {
  const asked: (boolean | undefined)[] = [];
  const plugin: FrugalPlugin = {
    name: '@acme/test-normalization',
    register(r) {
      r.dataset({
        name: 'counted',
        description: 'stripes, recording whether its statistics were needed',
        params: z.strictObject({}),
        factory: async (_, ctx) => {
          asked.push(ctx.needsNormalization);
          const train = stripes(30, 1);
          return { name: 'counted', train, classNames: train.classNames, normalization: { mean: [0.5], std: [0.25] } };
        },
      });
      r.model({
        name: 'imported',
        description: 'tiny-cnn with imported weights',
        params: z.strictObject({ weights: z.string().optional() }),
        factory: (p, ctx) => ({ model: tinyConvNet(p.numClasses, p.inputShape, ctx.rng), featureDim: 4 }),
        pretrained: { inputSize: [8, 8, 1], ...IMPORTED, interpolation: 'bilinear', classifier: 'head' },
      });
      r.strategy({
        name: 'reuse',
        description: 'starts from its `from`',
        params: z.strictObject({ from: z.string().optional(), model: z.string().optional(), checkpoint: z.string().optional() }),
        factory: () => ({ run: async () => ({}) as never }),
        startsFrom: (p) =>
          p.from ? { savedModel: p.from as string, field: 'strategy.params.from' } : p.checkpoint ? { unknown: 'a checkpoint keeps none' } : { model: { name: p.model as string, params: { weights: 'w.safetensors' } } },
      });
    },
  };
  return { frugal: createFrugal({ plugins: [tinyCnnPlugin(), plugin] }), asked };
}

async function normalizationOf(recipe: Record<string, unknown>): Promise<{ normalization: Normalization; asked: (boolean | undefined)[] }> {
  const { frugal, asked } = instance();
  const data = await prepareData(frugal, validateRecipe({ model: { name: 'tiny-cnn' }, ...recipe, data: { dataset: 'counted', ...(recipe.data as object) } }, frugal));
  return { normalization: data.normalization, asked };
}

describe('data.normalization', () => {
  it("is the dataset's statistics by default, the only case that asks the source for them", async () => {
    expect(await normalizationOf({})).toEqual({ normalization: { mean: [0.5], std: [0.25] }, asked: [true] });
    expect(await normalizationOf({ data: { normalization: 'none' } })).toEqual({ normalization: { mean: [0], std: [1] }, asked: [false] });
    expect(await normalizationOf({ data: { normalization: { mean: [0.1], std: [0.9] } } })).toEqual({ normalization: { mean: [0.1], std: [0.9] }, asked: [false] });
  });

  it('"pretrained" is the card of model.init, of the network a strategy starts from, or what the model\'s imported weights expect', async () => {
    const pretrained = { normalization: 'pretrained' };
    expect(await normalizationOf({ data: pretrained, model: { name: 'tiny-cnn', init: saved } })).toEqual({ normalization: { mean: [0.3], std: [0.1] }, asked: [false] });
    expect((await normalizationOf({ data: pretrained, strategy: { name: 'reuse', params: { from: join(saved, 'model') } } })).normalization).toEqual({ mean: [0.3], std: [0.1] });
    expect((await normalizationOf({ data: pretrained, strategy: { name: 'reuse', params: { model: 'imported' } } })).normalization).toEqual(IMPORTED);
    expect((await normalizationOf({ data: pretrained, model: { name: 'imported', params: { weights: 'w.safetensors' } } })).normalization).toEqual(IMPORTED);
  });

  it('"pretrained" without a pretrained network is refused, saying what to give', async () => {
    const pretrained = { normalization: 'pretrained' };
    await expect(normalizationOf({ data: pretrained, model: { name: 'imported' } })).rejects.toThrow(
      /^data\.normalization is "pretrained", but the run starts from no pretrained network whose normalisation is known \(no model\.init, and model "imported" imports no weights\); give model\.init/,
    );
    await expect(normalizationOf({ data: pretrained, strategy: { name: 'reuse', params: { checkpoint: 'c' } } })).rejects.toThrow(
      'data.normalization is "pretrained", but a checkpoint keeps none; set data.normalization to the mean and std it was trained with',
    );
    await expect(normalizationOf({ data: pretrained, strategy: { name: 'reuse', params: { from: join(root, 'nothing') } } })).rejects.toThrow(
      /^strategy\.params\.from: no saved model at ".*nothing"/,
    );
  });

  it("is refused when it does not fit the images' channels, naming where it came from", async () => {
    await expect(normalizationOf({ data: { normalization: { mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225] } } })).rejects.toThrow(
      "data.normalization has 3 means and 3 stds, but the images have 1 channel (grayscale); give one of each, or decode the images in colour (the dataset's color: rgb)",
    );
    await expect(normalizationOf({ data: { normalization: { mean: [0.5], std: [0.2, 0.2] } } })).rejects.toThrow('data.normalization has 1 mean and 2 stds');
  });
});
