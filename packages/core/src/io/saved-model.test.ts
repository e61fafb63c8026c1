import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FrugalInputError } from '../errors.js';
import { Rng } from '../rng.js';
import { tinyConvNet, useCpu } from '../testing/index.js';
import { fileHandler } from './file-handler.js';
import { modelCardFields, parseModelCard, readModelCard, type ModelCardFields } from './model-card.js';
import { loadSavedModel, saveModel } from './saved-model.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-saved-model-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const card: ModelCardFields = {
  model: 'tiny-cnn',
  classNames: ['left', 'right', 'up'],
  inputShape: [8, 8, 1],
  normalization: { mean: [0.5], std: [0.25] },
};

describe('saveModel', () => {
  it('writes the model and a card that reads back, and loads to the same predictions', async () => {
    const dir = join(root, 'model');
    const model = tinyConvNet(3, [8, 8, 1], new Rng(4));
    await saveModel(model, dir, card);
    expect(readdirSync(dir).sort()).toEqual(['frugal.json', 'model.json', 'weights.bin']);
    expect(await readModelCard(dir)).toEqual({ format: 'frugal-model/1', ...card });
    const loaded = await tfl.loadLayersModel(fileHandler(dir));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 1);
    const [a, b] = [model.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    model.dispose();
    loaded.dispose();
  });

  it('replaces a saved model by default and refuses to with overwrite: false', async () => {
    const dir = join(root, 'twice');
    const model = tinyConvNet(3, [8, 8, 1], new Rng(5));
    await saveModel(model, dir, card);
    await saveModel(model, dir, { ...card, classNames: ['a', 'b', 'c'] });
    expect((await readModelCard(dir)).classNames).toEqual(['a', 'b', 'c']);
    await expect(saveModel(model, dir, card, { overwrite: false })).rejects.toThrow(/already|exists/i);
    expect((await readModelCard(dir)).classNames).toEqual(['a', 'b', 'c']);
    model.dispose();
  });
});

describe('loadSavedModel', () => {
  it('loads what saveModel wrote, and names a layer no loaded plugin defines with what to do', async () => {
    const dir = join(root, 'foreign-layer');
    const model = tinyConvNet(3, [8, 8, 1], new Rng(6));
    await saveModel(model, dir, card);
    model.dispose();
    (await loadSavedModel(dir)).dispose();
    const file = join(dir, 'model.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"class_name":"Conv2D"', '"class_name":"PluginOnlyConv"'));
    await expect(loadSavedModel(dir)).rejects.toThrow(
      new FrugalInputError(
        `The model in ${dir} uses the layer PluginOnlyConv, which no loaded plugin defines; create the Frugal instance with the plugin of its model (e.g. resnet() of @frugal/models-resnet, or standardPlugins()) before loading it`,
      ),
    );
  });
});

describe('the model card', () => {
  const decoded: ModelCardFields = { ...card, inputShape: [8, 6, 1], decode: { resize: 'shorter-side-crop', shorterSide: 9, kernel: 'linear' } };

  it('records how image files were fitted to the input, and reads it back', async () => {
    const dir = join(root, 'decoded');
    const model = tinyConvNet(3, [8, 6, 1], new Rng(6));
    await saveModel(model, dir, decoded);
    expect((await readModelCard(dir)).decode).toEqual({ resize: 'shorter-side-crop', shorterSide: 9, kernel: 'linear' });
    model.dispose();
  });

  it('takes its fields from the data a strategy trained on, decoding included when the source decoded files', () => {
    const labelled = { shape: [8, 6, 1] as const, pixels: new Uint8Array(0), labels: new Int32Array(0), classNames: ['a', 'b'] };
    const data = { labelled, classNames: ['a', 'b'], normalization: { mean: [0.5], std: [0.25] } };
    expect(modelCardFields('tiny-cnn', data)).toEqual({ model: 'tiny-cnn', classNames: ['a', 'b'], inputShape: [8, 6, 1], normalization: data.normalization });
    const exact = { resize: 'exact', kernel: 'nearest' } as const;
    expect(modelCardFields('tiny-cnn', { ...data, decode: exact }, ['x', 'y']).decode).toEqual(exact);
    expect(modelCardFields('tiny-cnn', { ...data, decode: exact }, ['x', 'y']).classNames).toEqual(['x', 'y']);
  });

  it('refuses a decoding that cannot fill the input, or that names an unknown kernel', () => {
    const cardOf = (decode: unknown) => ({ format: 'frugal-model/1', ...decoded, decode });
    expect(() => parseModelCard(cardOf({ resize: 'shorter-side-crop', shorterSide: 7, kernel: 'linear' }), 'frugal.json')).toThrow(
      /frugal\.json\.decode\.shorterSide: .*at least the input's height and width/,
    );
    expect(() => parseModelCard(cardOf({ resize: 'shorter-side-crop', kernel: 'bilinear' }), 'frugal.json')).toThrow(FrugalInputError);
    expect(() => parseModelCard(cardOf({ resize: 'stretch', kernel: 'linear' }), 'frugal.json')).toThrow(/decode\.resize/);
  });

  it('reads a card written before cards recorded their decoding', async () => {
    const dir = join(root, 'older');
    const model = tinyConvNet(3, [8, 8, 1], new Rng(7));
    await saveModel(model, dir, card);
    const { decode: _none, ...older } = await readModelCard(dir);
    writeFileSync(join(dir, 'frugal.json'), JSON.stringify(older));
    expect((await readModelCard(dir)).decode).toBeUndefined();
    model.dispose();
  });
});
