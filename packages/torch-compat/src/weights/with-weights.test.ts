import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, model } from '@tensorflow/tfjs-layers';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchNorm, conv2d, globalAvgPool, linear } from '../torch-layers.js';
import { exportTorchWeights } from './torch-export.js';
import { withWeights } from './torch-weights.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-with-weights-'));
beforeAll(() => tf.setBackend('cpu'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function net(seed: number) {
  const rng = new Rng(seed);
  const x = input({ shape: [6, 6, 1] });
  const y = batchNorm(conv2d(x, { name: 'conv1', filters: 2, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng), { name: 'bn1' });
  return { model: model({ inputs: x, outputs: linear(globalAvgPool(y, 'pool'), 'head', 2, rng) }) };
}

describe('withWeights', () => {
  it('loads a file into a built model and reports it; without a file, leaves the model as it is', () => {
    const file = join(dir, 'a.safetensors');
    const source = net(1);
    writeFileSync(file, exportTorchWeights(source.model));
    const target = withWeights(net(2), file);
    expect(target.weightsReport?.missing).toEqual([]);
    expect(target.model.getWeights()[0]?.dataSync()).toEqual(source.model.getWeights()[0]?.dataSync());
    const bare = net(3);
    expect(withWeights(bare, undefined)).toBe(bare);
    [source, target, bare].forEach((b) => b.model.dispose());
  });

  it('disposes the model when the file cannot be loaded, and passes the error on', () => {
    const before = tf.memory().numTensors;
    expect(() => withWeights(net(2), join(dir, 'missing.safetensors'))).toThrow(/missing\.safetensors/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
