import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { augment, buildPipeline } from '@frugal/augment';
import { createFrugal, readRecipeFile, validateRecipe } from '@frugal/core';
import { data } from '@frugal/data';
import { resnet } from '@frugal/models-resnet';
import { augmentationPreview } from './augmentation.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-docs-augment-'));
beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('augmentation example', () => {
  it('writes the same preview grid for the same seed, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const a = await augmentationPreview(join(dir, 'a.png'), { digits: 3, versions: 4 });
    const b = await augmentationPreview(join(dir, 'b.png'), { digits: 3, versions: 4 });
    expect(tf.memory().numTensors).toBe(before);
    expect(a).toMatchObject({ rows: 3, columns: 5 });
    expect(readFileSync(a.file).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(a.file).equals(readFileSync(b.file))).toBe(true);
  });
});

describe('augmentation recipe', () => {
  it('validates, and its augment list builds the same pipeline as the example', async () => {
    const frugal = createFrugal({ plugins: [data(), augment(), resnet()], seed: 7 });
    const recipe = validateRecipe(await readRecipeFile(join(import.meta.dirname, 'recipes', 'augmentation.yaml')), frugal);
    expect(recipe.augment.map((a) => a.op)).toEqual(['pad-crop', 'rotate', 'one-of', 'cutout']);
    const pipeline = buildPipeline(frugal, recipe.augment);
    const images = tf.zeros([2, 28, 28, 1]) as tf.Tensor4D;
    const out = pipeline.apply(images, frugal.rng.child('check'));
    expect(out.shape).toEqual([2, 28, 28, 1]);
    tf.dispose([images, out]);
  });
});
