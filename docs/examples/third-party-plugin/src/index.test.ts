import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  createFrugal,
  loadPluginsByName,
  recipeSchema,
  Rng,
  runRecipe,
  validateRecipe,
  type FrugalPlugin,
  type ImageSet,
} from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { acme, pixelateImages } from './index.js';

// This package's own folder: loading it by name from here resolves to its build (dist/), as a
// recipe in a project that installed it would, with no workspace link needed.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** 16×16 grey images of three classes: a bright square in the top-left, centre or bottom-right. */
function squares(count: number, seed: number): ImageSet {
  const size = 16;
  const rng = new Rng(seed);
  const pixels = new Uint8Array(count * size * size);
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 3;
    labels[i] = label;
    const at = [1, 5, 9][label] as number;
    for (let r = 0; r < size; r++) {
      for (let c = 0; c < size; c++) {
        const inside = r >= at && r < at + 6 && c >= at && c < at + 6;
        pixels[i * size * size + r * size + c] = Math.max(0, Math.min(255, Math.round((inside ? 200 : 30) + rng.normal(0, 25))));
      }
    }
  }
  return { shape: [size, size, 1], pixels, labels, classNames: ['top-left', 'centre', 'bottom-right'] };
}

/** An in-memory dataset, registered the way any plugin registers one. */
const squaresData: FrugalPlugin = {
  name: 'squares-data',
  register(registry) {
    registry.dataset({
      name: 'squares',
      description: 'synthetic squares, 3 classes',
      params: z.strictObject({}),
      factory: async () => {
        const train = squares(60, 1);
        return { name: 'squares', train, test: squares(30, 2), classNames: train.classNames, normalization: { mean: [0.3], std: [0.3] } };
      },
    });
  },
};

describe('@acme/frugal-plugin-example', () => {
  it('registers pixelate and lenet5 under its own name', () => {
    const frugal = createFrugal({ plugins: [acme()] });
    expect(frugal.augmentations.get('pixelate').plugin).toBe('@acme/frugal-plugin-example');
    expect(frugal.models.get('lenet5').plugin).toBe('@acme/frugal-plugin-example');
    expect(() => createFrugal({ plugins: [acme(), { name: 'other', register: acme().register }] })).toThrow(
      /registered twice: by plugin "@acme\/frugal-plugin-example" and by plugin "other"/,
    );
  });

  it('pixelates into constant blocks, per image with probability p, reproducibly', () => {
    const ramp = tf.tidy(() => tf.tile(tf.div(tf.reshape(tf.range(0, 16), [1, 4, 4, 1]), 15), [16, 1, 1, 1]) as tf.Tensor4D);
    const blocks = pixelateImages(ramp, 2);
    const first = (blocks.arraySync() as number[][][][])[0] as number[][][];
    expect(first[0]?.[0]?.[0]).toBe(first[1]?.[1]?.[0]);
    expect(first[0]?.[0]?.[0]).not.toBe(first[2]?.[2]?.[0]);

    const frugal = createFrugal({ plugins: [acme()] });
    const aug = frugal.augmentations.create('pixelate', { blockSize: [2, 2], p: 0.5 });
    const before = tf.memory().numTensors;
    const a = aug.apply(ramp, new Rng(7));
    const b = aug.apply(ramp, new Rng(7));
    expect(tf.memory().numTensors).toBe(before + 2);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    const changed = tf.tidy(() => tf.any(tf.notEqual(a, ramp), [1, 2, 3]).arraySync() as number[]);
    expect(changed.some(Boolean)).toBe(true);
    expect(changed.every(Boolean)).toBe(false);
    expect(() => frugal.augmentations.create('pixelate', { p: 2 })).toThrow(/p/);
    tf.dispose([ramp, blocks, a, b]);
  });

  it('builds LeNet-5 with features and head layers, giving logits', () => {
    const frugal = createFrugal({ plugins: [acme()], seed: 3 });
    const built = frugal.models.create('lenet5', { numClasses: 3, inputShape: [16, 16, 1] });
    expect(built.model.getLayer('features').outputShape).toEqual([null, 84]);
    expect(built.model.getLayer('head').outputShape).toEqual([null, 3]);
    const logits = tf.tidy(() => (built.model.predict(tf.zeros([2, 16, 16, 1])) as tf.Tensor).shape);
    expect(logits).toEqual([2, 3]);
    built.model.dispose();
  });

  it('is loaded by package name with options from a recipe, which are checked', async () => {
    const raw = { plugins: [['@acme/frugal-plugin-example', { prefix: 'acme-' }]] };
    const [plugin] = await loadPluginsByName(recipeSchema.parse({ ...raw, data: { dataset: 'x' }, model: { name: 'y' } }).plugins, { from: [packageRoot] });
    const frugal = createFrugal({ plugins: [plugin!] });
    expect(frugal.models.names()).toContain('acme-lenet5');
    expect(frugal.augmentations.names()).toContain('acme-pixelate');
    await expect(loadPluginsByName([['@acme/frugal-plugin-example', { prefix: 'Acme ' }]], { from: [packageRoot] })).rejects.toThrow(
      'recipe.plugins[0][1].prefix: got "Acme "; expected lower-case letters, digits and "-", e.g. "acme-"',
    );
  });

  it('is loaded by package name from a recipe and trains with both', async () => {
    const raw = {
      seed: 5,
      plugins: ['@acme/frugal-plugin-example'],
      data: { dataset: 'squares', labelledPerClass: 10 },
      model: { name: 'lenet5' },
      augment: [{ op: 'pixelate', blockSize: [2, 2], p: 0.3 }],
      train: { epochs: 6, batchSize: 10, optimizer: { name: 'adam', lr: 0.003 } },
    };
    const plugins = await loadPluginsByName(recipeSchema.parse(raw).plugins, { from: [packageRoot] });
    expect(plugins.map((p) => p.name)).toEqual(['@acme/frugal-plugin-example']);
    const frugal = createFrugal({ plugins: [squaresData, ...plugins], seed: 5 });
    const run = await runRecipe(frugal, validateRecipe(raw, frugal), { quiet: true });
    expect(run.data.labelled).toBe(30);
    expect(run.evaluation?.accuracy).toBeGreaterThan(0.8);
  });
});
