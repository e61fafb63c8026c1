import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFrugal } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resnet } from '../plugin.js';
import type { ResNetModel } from '../resnet.js';
import { encodeSafetensors, exportTorchWeights, formatWeightReport, SafetensorsFile, torchModuleToLayer, type TensorToWrite } from '@frugal/torch-compat';

const dir = mkdtempSync(join(tmpdir(), 'torch-weights-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 5);

/** A model whose BatchNorm statistics are not the defaults, so that their mapping shows. */
function source(name: string, numClasses = 10, seed = 1): ResNetModel {
  const built = createFrugal({ plugins: [resnet()], seed }).models.create(name, { numClasses, inputShape: [8, 8, 3] });
  let i = 0;
  for (const w of built.model.weights) {
    if (/moving_(mean|variance)$/.test(w.originalName)) {
      const value = tf.tidy(() => tf.add(tf.randomUniform(w.shape as number[], 0, 0.5, 'float32', ++i), 0.5));
      w.write(value);
      value.dispose();
    }
  }
  return built;
}

function save(bytes: Uint8Array, name: string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function create(name: string, params: Record<string, unknown>, numClasses = 10): ResNetModel {
  return createFrugal({ plugins: [resnet()], seed: 99 }).models.create(name, { numClasses, inputShape: [8, 8, 3], ...params });
}

function predict(model: LayersModel): Float32Array {
  return tf.tidy(() => (model.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

function features(model: LayersModel): Float32Array {
  const sub = functionalModel({ inputs: model.inputs, outputs: model.getLayer('features').output as SymbolicTensor });
  return tf.tidy(() => (sub.predict(x) as tf.Tensor).dataSync() as Float32Array);
}

describe('torch name mapping', () => {
  it('maps module paths to layer names, the classifier to head', () => {
    expect(torchModuleToLayer('layer1.0.downsample.0')).toBe('layer1_0_downsample_0');
    expect(torchModuleToLayer('fc')).toBe('head');
    expect(torchModuleToLayer('inception3a.branch2.1.conv')).toBe('inception3a_branch2_1_conv');
  });
});

describe('loading a PyTorch state dict', () => {
  const a = source('resnet20');
  const file = save(exportTorchWeights(a.model), 'resnet20.safetensors');

  it('reproduces the exported model exactly: convs, BatchNorm statistics, classifier', () => {
    const b = create('resnet20', { weights: file });
    expect(Array.from(predict(b.model))).toEqual(Array.from(predict(a.model)));
    const tensors = SafetensorsFile.read(file).names();
    expect(b.weightsReport).toEqual({ source: file, loaded: tensors, skipped: [], missing: [] });
    expect(tensors).toContain('layer2.0.bn1.running_var');
    expect(tensors).toContain('fc.weight');
    b.model.dispose();
  });

  it('reads F16 weights to within F16 precision', () => {
    const half = save(exportTorchWeights(a.model, { dtype: 'F16' }), 'resnet20-f16.safetensors');
    const b = create('resnet20', { weights: half });
    const [p, q] = [predict(b.model), predict(a.model)];
    const err = Math.hypot(...p.map((v, i) => v - q[i]!)) / Math.hypot(...q);
    expect(err).toBeLessThan(1e-2);
    b.model.dispose();
  });

  it('skips the classifier when the class count differs and reports it', () => {
    const b = create('resnet20', { weights: file }, 5);
    expect(Array.from(features(b.model))).toEqual(Array.from(features(a.model)));
    expect(b.weightsReport!.skipped).toEqual([
      { name: 'fc.weight', reason: 'class count differs: the file has 10 classes, the model 5' },
      { name: 'fc.bias', reason: 'class count differs: the file has 10 classes, the model 5' },
    ]);
    expect(b.weightsReport!.missing).toEqual(['head/kernel', 'head/bias']);
    expect(formatWeightReport(b.weightsReport!)).toContain('Skipped 2: fc.weight (class count differs: the file has 10 classes, the model 5)');
    b.model.dispose();
  });

  it('ignores BatchNorm batch counters', () => {
    const st = SafetensorsFile.read(file);
    const tensors: Record<string, TensorToWrite> = {};
    for (const name of st.names()) tensors[name] = { dtype: 'F32', shape: st.info(name).shape, bytes: st.bytes(name) };
    tensors['bn1.num_batches_tracked'] = { dtype: 'I64', shape: [], bytes: new Uint8Array(8) };
    const b = create('resnet20', { weights: save(encodeSafetensors(tensors), 'counters.safetensors') });
    expect(b.weightsReport!.skipped).toEqual([
      { name: 'bn1.num_batches_tracked', reason: 'BatchNorm batch counter (TensorFlow.js has no equivalent)' },
    ]);
    b.model.dispose();
  });

  it('names the tensor and both shapes on a shape mismatch', () => {
    expect(() => create('resnet20', { weights: file, widthMultiplier: 2 })).toThrow(
      `Tensor "conv1.weight" in "${file}" has shape [16, 3, 3, 3] ([3, 3, 3, 16] in TensorFlow.js layout), ` +
        `but the model's weight "conv1/kernel" has shape [3, 3, 3, 32]. The file was written for a different model variant, width or input channel count.`,
    );
  });

  it('refuses a file with tensors the model has no place for, or lacking ones it needs', () => {
    const deeper = save(exportTorchWeights(source('resnet32').model), 'resnet32.safetensors');
    expect(() => create('resnet20', { weights: deeper })).toThrow(
      /has 60 tensors the model has no place for: layer1\.3\.conv1\.weight, .* and 52 more\. Is it for a different model variant/,
    );
    expect(() => create('resnet32', { weights: file })).toThrow(
      new RegExp(`Weights file "${file}" lacks 60 weights the model needs: layer1_3_conv1/kernel, `),
    );
  });

  it('says when the file does not exist', () => {
    expect(() => create('resnet20', { weights: join(dir, 'nope.safetensors') })).toThrow(/nope\.safetensors" does not exist/);
  });
});
