import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { tinyConvNet, useCpu } from '../testing/index.js';
import { fileHandler } from './file-handler.js';
import { readModelCard, type ModelCardFields } from './model-card.js';
import { saveModel } from './saved-model.js';

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
