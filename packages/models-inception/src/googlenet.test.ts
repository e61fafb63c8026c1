import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrugal, type BuiltModel } from '@frugal/core';
import { exportTorchWeights, SafetensorsFile, type WeightLoadReport } from '@frugal/torch-compat';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, describe, expect, it } from 'vitest';
import { inception } from './plugin.js';

const dir = mkdtempSync(join(tmpdir(), 'googlenet-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The backend starts before the suites are collected: they build models while collecting.
await useBackend('wasm');

type GoogLeNet = BuiltModel & { weightsReport?: WeightLoadReport };
const create = (params: Record<string, unknown> = {}, seed = 1): GoogLeNet =>
  createFrugal({ plugins: [inception()], seed }).models.create('googlenet', { numClasses: 10, inputShape: [32, 32, 3], ...params });

const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 8);
const outputs = (model: LayersModel): number[][] =>
  tf.tidy(() => [model.predict(x)].flat().map((t) => Array.from((t as tf.Tensor).dataSync())));

describe('googlenet', () => {
  it('takes small inputs and any channel count (28x28x1)', () => {
    const built = create({ inputShape: [28, 28, 1] });
    const shapes = tf.tidy(() => (built.trainingModel!.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor[]).map((t) => t.shape));
    expect(shapes).toEqual([
      [2, 10],
      [2, 10],
      [2, 10],
    ]);
    built.trainingModel!.dispose();
  });

  it('takes 15x15 inputs and refuses smaller ones, naming the smallest', () => {
    create({ inputShape: [15, 15, 3] }).trainingModel!.dispose();
    expect(() => create({ inputShape: [14, 32, 3] })).toThrow(
      'model "googlenet": inputShape [14, 32, 3] is smaller than 15x15, the smallest input GoogLeNet takes; resize the images (224x224 for pretrained weights)',
    );
  });

  it('without auxLogits has no training model', () => {
    const built = create({ auxLogits: false });
    expect(built.trainingModel).toBeUndefined();
    expect(built.auxLossWeights).toBeUndefined();
    expect(built.model.layers.some((l) => l.name.startsWith('aux'))).toBe(false);
    built.model.dispose();
  });

  it('expects inputs normalised to [-1, 1] with pretrained weights (torchvision transform_input)', () => {
    const built = create({ auxLogits: false });
    expect(built.pretrained).toMatchObject({ inputSize: [224, 224, 3], mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], classifier: 'head' });
    built.model.dispose();
  });

  describe('weights', () => {
    const source = create({}, 2);
    const file = join(dir, 'googlenet.safetensors');
    writeFileSync(file, exportTorchWeights(source.trainingModel!));

    it('round-trip through a PyTorch state dict, auxiliary classifiers included', () => {
      const names = SafetensorsFile.read(file).names();
      expect(names).toContain('aux1.fc1.weight');
      expect(names).toContain('inception4e.branch4.1.bn.running_var');
      const built = create({ weights: file });
      expect(outputs(built.trainingModel!)).toEqual(outputs(source.trainingModel!));
      expect(built.weightsReport!.missing).toEqual([]);
      built.trainingModel!.dispose();
    });

    it('skip the auxiliary classifiers a model built without them has no place for', () => {
      const built = create({ weights: file, auxLogits: false });
      expect(outputs(built.model)).toEqual(outputs(source.model));
      const skipped = built.weightsReport!.skipped;
      expect(skipped.length).toBe(2 * 9); // per head: conv, BatchNorm (4), fc1 (2), fc2 (2)
      expect(skipped.every((s) => /^aux[12]\./.test(s.name) && s.reason === 'auxiliary classifier not built (auxLogits: false)')).toBe(true);
      built.model.dispose();
    });

    it('skip every classifier (main and auxiliary) when the class count differs', () => {
      const built = create({ weights: file, numClasses: 4 });
      expect(built.weightsReport!.skipped.map((s) => s.name).sort()).toEqual(
        ['aux1.fc2.bias', 'aux1.fc2.weight', 'aux2.fc2.bias', 'aux2.fc2.weight', 'fc.bias', 'fc.weight'],
      );
      built.trainingModel!.dispose();
    });

    it("refuse a file whose shapes differ with the file's error, and free the model they were loading into", () => {
      const grey = create({ inputShape: [32, 32, 1] }, 4);
      const greyFile = join(dir, 'grey.safetensors');
      writeFileSync(greyFile, exportTorchWeights(grey.trainingModel!));
      grey.trainingModel!.dispose();
      const before = tf.memory().numTensors;
      expect(() => create({ weights: greyFile })).toThrow(/"conv1\.conv\.weight".*shape/);
      expect(tf.memory().numTensors).toBe(before);
    });
  });

  it('save -> load gives the same outputs, for the inference and the training model', async () => {
    const built = create({}, 3);
    for (const model of [built.model, built.trainingModel!]) {
      let artifacts: tf.io.ModelArtifacts | undefined;
      await model.save(
        tf.io.withSaveHandler(async (a) => {
          artifacts = a;
          return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
        }),
      );
      const loaded = await loadLayersModel(tf.io.fromMemory(artifacts!));
      expect(outputs(loaded)).toEqual(outputs(model));
      loaded.dispose();
    }
    built.trainingModel!.dispose();
  });
});
