import * as tf from '@tensorflow/tfjs-core';
import { createFrugal, FUSED_CONV_RESIDUAL, InferenceModel } from '@frugal/core';
import { resnet } from '@frugal/models-resnet';
import { createBackendProviders, useBackend } from '@frugal/runtime-gpu';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { describe, expect, it } from 'vitest';
import { inception } from './plugin.js';

// Every model family through @frugal/core's InferenceModel (batch norm folded into the
// convolutions, padding, residual sums and ReLUs fused) against model.predict, on the cpu backend
// and on the native one, with batch-norm statistics far from their initial ones.
const native = await createBackendProviders().native.probe();

const cases = [
  { name: 'resnet8', params: { shortcut: 'projection' }, inputShape: [28, 28, 1], residualSums: 3 },
  { name: 'resnet20', params: {}, inputShape: [32, 32, 3], residualSums: 9 },
  { name: 'resnet18', params: {}, inputShape: [32, 32, 3], residualSums: 8 },
  { name: 'resnet50', params: {}, inputShape: [32, 32, 3], residualSums: 16 },
  { name: 'googlenet', params: {}, inputShape: [32, 32, 3], residualSums: 0 },
] as const;

/** Moving statistics and affine weights drawn away from the identity, so folding has work to do. */
function randomiseBatchNorms(model: LayersModel, seed: number): void {
  model.layers
    .filter((l) => l.getClassName() === 'BatchNormalization')
    .forEach((layer, k) => {
      const weights = layer.getWeights();
      const drawn = weights.map((w, i) => {
        const positive = i === 0 || i === weights.length - 1; // gamma and the moving variance
        return positive ? tf.randomUniform(w.shape, 0.5, 2, 'float32', seed + 7 * k + i) : tf.randomNormal(w.shape, 0, 0.3, 'float32', seed + 7 * k + i);
      });
      layer.setWeights(drawn);
      tf.dispose(drawn);
    });
}

function maxRelativeError(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]! / tf.max(tf.abs(b)).dataSync()[0]!);
}

// The cpu backend (convolution, sum and ReLU as separate kernels) is slow: the small networks there.
const backends = [
  { backend: 'cpu' as const, skip: undefined, models: ['resnet8', 'resnet20', 'googlenet'] },
  { backend: 'native' as const, skip: native.available ? undefined : `${native.reason}. ${native.remedy}`, models: cases.map((c) => c.name) },
];

describe.each(backends)('folded inference on $backend', ({ backend, skip, models }) => {
  it.skipIf(skip !== undefined).each(cases.filter((c) => models.includes(c.name)).map((c) => [c.name, c] as const))(`%s gives model.predict's logits${skip ? ` (skipped: ${skip})` : ''}`, async (_n, c) => {
    await useBackend(backend);
    const built = createFrugal({ plugins: [resnet(), inception()], seed: 2 }).models.create(c.name, { numClasses: 10, inputShape: [...c.inputShape], ...c.params });
    randomiseBatchNorms(built.model, 11);
    const x = tf.randomNormal([4, ...c.inputShape], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const inference = new InferenceModel(built.model);
    expect(inference.summary.residualSums).toBe(c.residualSums);
    expect(inference.summary.fusedConvolutions).toBeGreaterThan(inference.summary.layers);
    const expected = built.model.predict(x) as tf.Tensor;
    const actual = inference.predict(x) as tf.Tensor;
    expect(maxRelativeError(actual, expected)).toBeLessThan(1e-5);
    tf.dispose([expected, actual]);
    inference.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    built.model.dispose();
  });
});

describe.skipIf(!native.available)(`the residual kernel${native.available ? '' : ` (skipped: ${native.reason}. ${native.remedy})`}`, () => {
  it('is what the native backend runs for a residual block', async () => {
    await useBackend('native');
    const built = createFrugal({ plugins: [resnet()], seed: 2 }).models.create('resnet20', { numClasses: 10, inputShape: [32, 32, 3] });
    const kernel = tf.getKernel(FUSED_CONV_RESIDUAL, 'wasm')!;
    let calls = 0;
    tf.unregisterKernel(kernel.kernelName, 'wasm');
    tf.registerKernel({ ...kernel, kernelFunc: (args) => (calls++, kernel.kernelFunc(args)) });
    try {
      const x = tf.randomNormal([2, 32, 32, 3]);
      const inference = new InferenceModel(built.model);
      tf.dispose([inference.predict(x), x]);
      inference.dispose();
      expect(calls).toBe(9);
    } finally {
      tf.unregisterKernel(kernel.kernelName, 'wasm');
      tf.registerKernel(kernel);
      built.model.dispose();
    }
  });
});
