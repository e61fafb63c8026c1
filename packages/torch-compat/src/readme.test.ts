// The README's example (docs/test/package-readmes.test.ts runs it as written), and what it must do: the weights it moves make the second network compute what the first does.
import { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { input, model, type LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { exportTorchWeights, loadTorchWeights, registerTorchLayers, SafetensorsFile, torchLayers } from './index.js';

describe('README example', () => {
  it('runs, and the weights it moves make the second network compute what the first does', async () => {
    await tf.setBackend('cpu');
    const before = tf.memory().numTensors;

    registerTorchLayers();
    const { conv2d, batchNorm, relu, globalAvgPool, linear } = torchLayers;
    function tinyNet(seed: number): LayersModel {
      const rng = new Rng(seed);
      const x = input({ shape: [8, 8, 3] });
      let y = conv2d(x, { name: 'conv1', filters: 4, kernel: 3, padding: 1, init: 'kaiming-fan-out' }, rng);
      y = relu(batchNorm(y, { name: 'bn1' }), 'relu');
      return model({ inputs: x, outputs: linear(globalAvgPool(y, 'pool'), 'fc', 2, rng) });
    }
    const a = tinyNet(1);
    const b = tinyNet(2);
    const stateDict = exportTorchWeights(a); // safetensors bytes with PyTorch's names and layouts
    const report = loadTorchWeights(b, SafetensorsFile.fromBytes(stateDict), { renames: {} });
    expect([report.loaded.length, report.missing.length]).toEqual([7, 0]);

    const x = tf.randomUniform([2, 8, 8, 3], 0, 1, 'float32', 3);
    const [ya, yb] = [a, b].map((m) => m.predict(x) as tf.Tensor);
    expect(Array.from((yb as tf.Tensor).dataSync())).toEqual(Array.from((ya as tf.Tensor).dataSync()));
    tf.dispose([x, ya as tf.Tensor, yb as tf.Tensor]);
    a.dispose();
    b.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
