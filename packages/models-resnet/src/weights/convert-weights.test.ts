import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrugal, fileHandler } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resnet } from '../plugin.js';
import { convertWeights, exportTorchWeights } from '@frugal/torch-compat';

const dir = mkdtempSync(join(tmpdir(), 'convert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('convertWeights', () => {
  const frugal = createFrugal({ plugins: [resnet()], seed: 3 });
  const source = frugal.models.create('resnet20', { numClasses: 7, inputShape: [32, 32, 3], dropout: 0.1 });
  const weights = join(dir, 'resnet20.safetensors');
  writeFileSync(weights, exportTorchWeights(source.model));
  const outDir = join(dir, 'out', 'resnet20-tfjs');

  it('writes a TensorFlow.js model directory that predicts as the source model', async () => {
    const result = await convertWeights(frugal, { model: 'resnet20', weights, outDir, params: { dropout: 0.1 } });
    expect(result.numClasses).toBe(7);
    expect(result.inputShape).toEqual([32, 32, 3]);
    expect(readdirSync(outDir).sort()).toEqual(['model.json', 'weights.bin']);
    expect(readdirSync(join(dir, 'out'))).toEqual(['resnet20-tfjs']);

    const loaded = await loadLayersModel(fileHandler(outDir));
    const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 1);
    const [p, q] = [loaded.predict(x) as tf.Tensor, source.model.predict(x) as tf.Tensor];
    expect(Array.from(p.dataSync())).toEqual(Array.from(q.dataSync()));
    const meta = JSON.parse(readFileSync(join(outDir, 'model.json'), 'utf8')).userDefinedMetadata.frugal;
    expect(meta).toMatchObject({ model: 'resnet20', numClasses: 7, inputShape: [32, 32, 3], featureDim: 64 });
    expect(meta.pretrained.mean).toEqual([0.4914, 0.4822, 0.4465]);
    expect(meta.weights.loaded).toBe(result.report.loaded.length);
    tf.dispose([x, p, q]);
    loaded.dispose();
  });

  it('refuses to replace an existing directory unless asked, and then replaces it whole', async () => {
    await expect(convertWeights(frugal, { model: 'resnet20', weights, outDir })).rejects.toThrow(/resnet20-tfjs" already exists; refusing to overwrite it. Remove it, choose another directory, or pass overwrite: true./);
    const result = await convertWeights(frugal, { model: 'resnet20', weights, outDir, numClasses: 3, overwrite: true });
    expect(result.report.skipped.map((s) => s.name)).toEqual(['fc.weight', 'fc.bias']);
    expect(JSON.parse(readFileSync(join(outDir, 'model.json'), 'utf8')).userDefinedMetadata.frugal.numClasses).toBe(3);
    expect(readdirSync(join(dir, 'out'))).toEqual(['resnet20-tfjs']);
  });

  it('asks for numClasses when the file has no classifier', async () => {
    const empty = join(dir, 'empty.safetensors');
    writeFileSync(empty, new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0, 123, 125]));
    await expect(convertWeights(frugal, { model: 'resnet20', weights: empty, outDir: join(dir, 'x') })).rejects.toThrow(
      /Cannot tell the class count of ".*empty\.safetensors": it has no fc\.weight \(or head\/classifier\) tensor\. Pass numClasses\./,
    );
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
