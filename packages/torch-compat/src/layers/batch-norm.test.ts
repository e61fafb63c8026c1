import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { batchNormTraining, torchBatchNormClass } from './batch-norm.js';
import { registerTorchLayers } from './register-layers.js';

const maxRelative = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / Math.max(tf.max(tf.abs(b)).dataSync()[0]!, 1e-12));

describe('batch norm trained as one operation', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives the output and the gradients of tf.moments followed by tf.batchNorm', () => {
    const x = tf.randomNormal([6, 5, 4, 3], 0.5, 2, 'float32', 1);
    const gamma = tf.randomNormal([3], 1, 0.3, 'float32', 2);
    const beta = tf.randomNormal([3], 0, 0.3, 'float32', 3);
    const weights = tf.randomNormal([6, 5, 4, 3], 0, 1, 'float32', 4);
    const reference = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.sum(tf.mul(weights, tf.batchNorm(a, mean, variance, b, g, 1e-3)));
    };
    const fused = (a: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => {
      const { y, mean, variance } = batchNormTraining(a, g, b, 1e-3);
      tf.dispose([mean, variance]);
      return tf.sum(tf.mul(weights, y));
    };
    const expected = tf.grads(reference)([x, gamma, beta]);
    const actual = tf.grads(fused)([x, gamma, beta]);
    actual.forEach((g, i) => expect(maxRelative(g, expected[i]!), `gradient ${i}`).toBeLessThan(1e-4));
    expect(maxRelative(fused(x, gamma, beta), reference(x, gamma, beta))).toBeLessThan(1e-5);
    tf.dispose([x, gamma, beta, weights, ...expected, ...actual]);
  });

  it('updates the moving statistics as tfjs-layers does, and serialises as its BatchNormalization', async () => {
    registerTorchLayers();
    const TorchBatchNorm = torchBatchNormClass();
    const args = { name: 'bn', axis: -1, momentum: 0.9, epsilon: 1e-5 };
    const ours = new TorchBatchNorm(args) as unknown as tfl.layers.Layer;
    const theirs = tfl.layers.batchNormalization({ ...args, name: 'bn_tfjs' });
    const x = tf.randomNormal([4, 3, 3, 2], 1, 2, 'float32', 5);
    ours.build(x.shape);
    theirs.build(x.shape);
    theirs.setWeights(ours.getWeights());
    const a = ours.apply(x, { training: true }) as tf.Tensor;
    const b = theirs.apply(x, { training: true }) as tf.Tensor;
    expect(maxRelative(a, b)).toBeLessThan(1e-5);
    ours.getWeights().forEach((w, i) => expect(maxRelative(w, theirs.getWeights()[i]!), ours.weights[i]!.name).toBeLessThan(1e-6));
    expect(ours.getClassName()).toBe('BatchNormalization');
    const input = tfl.input({ shape: [3, 3, 2] });
    const model = tfl.model({ inputs: input, outputs: ours.apply(input) as tfl.SymbolicTensor });
    const topology = model.toJSON(null, false) as tf.io.ModelJSON['modelTopology'];
    expect(JSON.stringify(topology)).toContain('"class_name":"BatchNormalization"');
    const loaded = await tfl.models.modelFromJSON({ modelTopology: topology });
    expect(loaded.layers[1]).toBeInstanceOf(TorchBatchNorm);
    tf.dispose([x, a, b]);
  });
});
