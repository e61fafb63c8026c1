import { beforeAll, describe, expect, it } from 'vitest';
import { isInputError, Rng } from '@frugal/core';
import { stripes, tinyStagedNet, useCpu } from '@frugal/core/testing';
import * as tf from '@tensorflow/tfjs-core';
import { modelOutputs } from './embed/model-outputs.js';
import { suggestionCsv } from './file/suggestion-file.js';
import { suggestImages } from './suggest.js';

const normalization = { mean: [0.5], std: [0.25] };

beforeAll(useCpu);

describe('modelOutputs', () => {
  it('gives each image its softmax and unit-length features, in batches, leaving no tensor behind', async () => {
    const model = tinyStagedNet(3, [8, 8, 1], new Rng(0));
    const set = stripes(10);
    const before = tf.memory().numTensors;
    const seen: number[] = [];
    const out = await modelOutputs(model, set, { normalization, batchSize: 4, onProgress: (done) => seen.push(done) });
    expect(tf.memory().numTensors).toBe(before);
    expect(seen).toEqual([4, 8, 10]);
    expect(Array.from(out.indices)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(out.classes).toBe(3);
    expect(out.dimensions).toBe(16);
    for (let i = 0; i < 10; i++) {
      const p = out.probabilities.subarray(i * 3, (i + 1) * 3).reduce((a, b) => a + b, 0);
      expect(p).toBeCloseTo(1, 5);
      const f = out.features.subarray(i * 16, (i + 1) * 16).reduce((a, b) => a + b * b, 0);
      expect(f).toBeCloseTo(1, 5);
    }
    // The same as the whole set in one batch.
    const whole = await modelOutputs(model, set, { normalization, batchSize: 64 });
    expect(Array.from(whole.probabilities).map((v) => v.toFixed(5))).toEqual(Array.from(out.probabilities).map((v) => v.toFixed(5)));
  });
});

describe('suggestImages', () => {
  const model = tinyStagedNet(3, [8, 8, 1], new Rng(0));
  const labelled = stripes(6, 1);
  const pool = stripes(30, 2);
  const unlabelled = { ...pool, origins: Array.from({ length: 30 }, (_, i) => `pool/${i}.png`) };

  it('names the images by their origins, each once, with the model guess; the same seed gives the same choice', async () => {
    for (const method of ['typical', 'margin', 'diverse-margin', 'entropy', 'random']) {
      const a = await suggestImages({ model, normalization, labelled, unlabelled, count: 5, method, seed: 3 });
      expect(a.method).toBe(method);
      expect(a.candidates).toBe(30);
      expect(a.suggestions).toHaveLength(5);
      expect(new Set(a.suggestions.map((s) => s.file)).size).toBe(5);
      for (const s of a.suggestions) {
        expect(s.file).toMatch(/^pool\/\d+\.png$/);
        expect(pool.classNames).toContain(s.predicted);
        expect(s.confidence).toBeGreaterThanOrEqual(1 / 3);
      }
      const b = await suggestImages({ model, normalization, labelled, unlabelled, count: 5, method, seed: 3 });
      expect(b.suggestions).toEqual(a.suggestions);
    }
  });

  it('chooses at most the images there are', async () => {
    const all = await suggestImages({ model, normalization, labelled, unlabelled, count: 50, seed: 0 });
    expect(all.suggestions).toHaveLength(30);
  });

  it("chooses the first images with a pretext network's features alone: no labelled image, no guess, no method that reads predictions", async () => {
    const none = { ...labelled, pixels: new Uint8Array(0), labels: new Int32Array(0) };
    for (const method of ['typical', 'random']) {
      const first = await suggestImages({ model, normalization, labelled: none, unlabelled, count: 6, method, seed: 1, predictsClasses: false });
      expect(first.suggestions).toHaveLength(6);
      expect(new Set(first.suggestions.map((s) => s.file)).size).toBe(6);
      for (const s of first.suggestions) expect(Object.keys(s)).toEqual(['file']);
    }
    for (const method of ['margin', 'diverse-margin', 'entropy']) {
      const error = await suggestImages({ model, normalization, labelled: none, unlabelled, count: 6, method, seed: 1, predictsClasses: false }).catch((e: unknown) => e);
      expect(isInputError(error)).toBe(true);
      expect((error as Error).message).toMatch(new RegExp(`^Method "${method}" reads the model's class predictions, .*; choose with typical or random, which read its features alone$`));
    }
  });

  it('refuses an unknown method, naming the known ones', async () => {
    const error = await suggestImages({ model, normalization, labelled, unlabelled, count: 5, method: 'vibes', seed: 0 }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toBe('Unknown acquisition method "vibes"; use one of typical, margin, diverse-margin, entropy, random');
  });
});

describe('suggestionCsv', () => {
  it('writes a labels file to fill in: file, an empty class, the guess; fields with commas or quotes quoted', () => {
    const text = suggestionCsv([
      { file: 'a/1.png', predicted: 'cat', confidence: 0.51234 },
      { file: 'b/x,"y".png', predicted: 'T-shirt, top', confidence: 1 },
    ]);
    expect(text).toBe('file,class,predicted,confidence\na/1.png,,cat,0.512\n"b/x,""y"".png",,"T-shirt, top",1.000\n');
  });

  it('leaves the guess blank where the network predicts no classes', () => {
    expect(suggestionCsv([{ file: 'a/1.png' }])).toBe('file,class,predicted,confidence\na/1.png,,,\n');
  });
});
