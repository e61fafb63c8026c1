import { createFrugal, fileHandler, Rng, SeededDropout } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyPlugin, tinyStagedNet } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { replaceHead } from './replace-head.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-head-'));
beforeAll(() => useBackend('auto'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('replaceHead', () => {
  it('puts a new classifier for the new class count on the shared backbone', () => {
    const source = tinyStagedNet(3, [8, 8, 1], new Rng(1));
    const backboneIds = source.layers.filter((l) => l.name.startsWith('stage')).flatMap((l) => l.weights.map((w) => w.read().id));
    const tm = replaceHead(source, { numClasses: 5 }, new Rng(2));
    expect(tm.featureDim).toBe(16);
    expect(tm.model.outputs[0]?.shape).toEqual([null, 5]);
    expect(tm.model.getLayer('features')).toBeDefined();
    expect(tm.model.getLayer('head').weights[0]?.shape).toEqual([16, 5]);
    expect(tm.backbone.weights.map((w) => w.read().id).sort()).toEqual(backboneIds.sort());
    const logits = tf.tidy(() => Array.from((tm.model.predict(tf.zeros([2, 8, 8, 1])) as tf.Tensor).shape));
    expect(logits).toEqual([2, 5]);
  });

  it('adds an optional hidden layer and seeded dropout, and the head alone computes what the model does', () => {
    const tm = replaceHead(tinyStagedNet(3, [8, 8, 1], new Rng(1)), { numClasses: 2, hidden: 6, dropout: 0.5 }, new Rng(3));
    expect(tm.headLayers.map((l) => l.name)).toEqual(['head_hidden', 'head_dropout', 'head']);
    expect(tm.headLayers[1]).toBeInstanceOf(SeededDropout);
    const x = tf.randomUniform([3, 8, 8, 1], 0, 1, 'float32', 7);
    const whole = tm.model.predict(x) as tf.Tensor;
    const features = tm.backbone.predict(x) as tf.Tensor;
    const head = tm.applyHead(features, false);
    expect(Array.from(head.dataSync())).toEqual(Array.from(whole.dataSync()));
    tf.dispose([x, whole, features, head]);
  });

  it('releases the old classifier', () => {
    const source = tinyStagedNet(3, [8, 8, 1], new Rng(1));
    const before = tf.memory().numTensors;
    replaceHead(source, { numClasses: 3 }, new Rng(2));
    // new head: kernel + bias; old head (kernel + bias) released
    expect(tf.memory().numTensors).toBe(before);
  });

  it('saves and loads as an ordinary model', async () => {
    const tm = replaceHead(tinyStagedNet(3, [8, 8, 1], new Rng(1)), { numClasses: 4, hidden: 5, dropout: 0.2 }, new Rng(2));
    const dir = join(root, 'saved');
    await tm.model.save(fileHandler(dir));
    const loaded = await tfl.loadLayersModel(fileHandler(dir));
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 9);
    const a = tm.model.predict(x) as tf.Tensor;
    const b = loaded.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
  });

  it('names the missing features layer and what to do', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin()] });
    const { model } = frugal.models.create('tiny-staged', { numClasses: 3, inputShape: [8, 8, 1] });
    expect(() => replaceHead(model, { numClasses: 2, featuresLayer: 'pool5' }, new Rng(1))).toThrow(
      /has no layer named "pool5".*name it "features".*featuresLayer/,
    );
  });
});
