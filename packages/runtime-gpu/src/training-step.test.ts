import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, relativeError } from './test-support/compare-with-cpu.js';
import { freeBackwardPassEarly, restoreBackwardPass } from './engine/backward-pass.js';
import { registerWasmTrainingKernels } from './kernels/wasm/register.js';

type Builder = (seed: () => number) => tfl.LayersModel;

const init = (seed: () => number) => tfl.initializers.heNormal({ seed: seed() });

function convBn(x: tfl.SymbolicTensor, filters: number, kernelSize: number, strides: number, seed: () => number, relu = true): tfl.SymbolicTensor {
  let y = tfl.layers
    .conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false, kernelInitializer: init(seed) })
    .apply(x) as tfl.SymbolicTensor;
  y = tfl.layers.batchNormalization({ momentum: 0.9 }).apply(y) as tfl.SymbolicTensor;
  return relu ? (tfl.layers.reLU().apply(y) as tfl.SymbolicTensor) : y;
}

/** A two-block residual network: stride-2 block with a 1×1 projection shortcut, BN, ReLU, global pooling. */
const residual: Builder = (seed) => {
  const input = tfl.input({ shape: [9, 9, 3] });
  let x = convBn(input, 4, 3, 1, seed);
  const branch = convBn(convBn(x, 6, 3, 2, seed), 6, 3, 1, seed, false);
  const shortcut = convBn(x, 6, 1, 2, seed, false);
  x = tfl.layers.reLU().apply(tfl.layers.add().apply([branch, shortcut])) as tfl.SymbolicTensor;
  x = tfl.layers.globalAveragePooling2d({}).apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed() }) }).apply(x);
  return tfl.model({ inputs: input, outputs: logits as tfl.SymbolicTensor });
};

/** An Inception module (1×1, 3×3, 5×5 and pooling branches concatenated), max and average pooling. */
const inception: Builder = (seed) => {
  const input = tfl.input({ shape: [11, 11, 3] });
  let x = convBn(input, 4, 3, 1, seed);
  x = tfl.layers.maxPooling2d({ poolSize: 3, strides: 2, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  const b1 = convBn(x, 2, 1, 1, seed);
  const b3 = convBn(convBn(x, 2, 1, 1, seed), 3, 3, 1, seed);
  const b5 = convBn(convBn(x, 2, 1, 1, seed), 3, 5, 1, seed);
  const pool = tfl.layers.maxPooling2d({ poolSize: 3, strides: 1, padding: 'same' }).apply(x) as tfl.SymbolicTensor;
  const bp = convBn(pool, 2, 1, 1, seed);
  x = tfl.layers.concatenate({ axis: -1 }).apply([b1, b3, b5, bp]) as tfl.SymbolicTensor;
  x = tfl.layers.averagePooling2d({ poolSize: 3, strides: 2, padding: 'valid' }).apply(x) as tfl.SymbolicTensor;
  x = tfl.layers.flatten().apply(x) as tfl.SymbolicTensor;
  const logits = tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.glorotUniform({ seed: seed() }) }).apply(x);
  return tfl.model({ inputs: input, outputs: logits as tfl.SymbolicTensor });
};

/** Loss and gradients of every trainable weight for one batch, on `backend`. */
async function gradients(backend: string, build: Builder): Promise<{ loss: number; grads: Float32Array[] }> {
  await tf.setBackend(backend);
  let n = 0;
  const model = build(() => ++n);
  const [, h, w, c] = model.inputs[0]!.shape as number[];
  const x = tf.tensor4d(randomValues(4 * h! * w! * c!, 9), [4, h!, w!, c!]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1], 'int32'), 3);
  const { value, grads } = tf.variableGrads(() =>
    tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar,
  );
  const names = model.trainableWeights.map((v) => (v.read() as tf.Variable).name);
  const result = { loss: (await value.data())[0]!, grads: await Promise.all(names.map(async (k) => (await grads[k]!.data()) as Float32Array)) };
  tf.dispose([x, y, value, ...Object.values(grads)]);
  model.dispose();
  return result;
}

describe('a training step on wasm', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it.each([
    ['residual network', residual],
    ['inception module', inception],
  ] as const)('%s: every gradient matches the cpu backend', async (_name, build) => {
    const expected = await gradients('cpu', build);
    const actual = await gradients('wasm', build);
    expect(Math.abs(actual.loss - expected.loss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(expected.loss)));
    expect(actual.grads.length).toBe(expected.grads.length);
    actual.grads.forEach((g, i) => expect(relativeError(g, expected.grads[i]!)).toBeLessThan(1e-4));
  });

  it.each([
    ['residual network', residual],
    ['inception module', inception],
  ] as const)('%s: the backward pass that frees as it goes gives tfjs’s gradients to the bit', async (_name, build) => {
    restoreBackwardPass();
    const tfjs = await gradients('wasm', build);
    freeBackwardPassEarly();
    const early = await gradients('wasm', build);
    expect(early.loss).toBe(tfjs.loss);
    expect(early.grads.length).toBe(tfjs.grads.length);
    early.grads.forEach((g, i) => expect(g).toEqual(tfjs.grads[i]));
  });
});
