import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, runKernelOn, useNative, expectSameBits } from '../test-support/compare.js';
import { RELU_GRAD_KERNEL } from './ReluGrad.js';

const values = (shape: number[], seed: number) => ({ values: randomValues(tf.util.sizeFromShape(shape), seed), shape });

// [a, b]: one shape (small and above the threading size), per-channel vectors on either side,
// scalars on either side, and broadcasts left to the wasm kernel.
const pairs: [number[], number[]][] = [
  [[2, 3, 4, 5], [2, 3, 4, 5]],
  [[32, 16, 16, 32], [32, 16, 16, 32]],
  [[32, 16, 16, 32], [1, 1, 1, 32]],
  [[36, 32, 32, 32], [36, 32, 32, 32]], // above 2^20 values: every thread, whichever the wait policy
  [[36, 32, 32, 32], [32]],
  [[32], [32, 16, 16, 32]],
  [[64, 10], [10]],
  [[7, 9], []],
  [[1], [5, 6]],
  [[4, 1, 3], [4, 5, 3]],
  [[6, 2], [6, 1]],
  [[3, 3], [2, 1, 3]],
];

describe('element-wise kernels on the addon match the cpu backend exactly', () => {
  beforeAll(() => useNative());

  for (const kernel of ['Add', 'Sub', 'Multiply']) {
    it.each(pairs.map(([a, b]) => [`[${a}] and [${b}]`, a, b] as const))(`${kernel} %s`, async (_n, a, b) => {
      const [[expected], [actual]] = await cpuAndNative(kernel, { a: values(a, 1), b: values(b, 2) }, {});
      expect(actual!.shape).toEqual(expected!.shape);
      expectSameBits(actual!.values, expected!.values);
    });
  }

  const special = Float32Array.from([NaN, -Infinity, -2, -0, 0, 1e-30, 3, Infinity]);
  for (const [kernel, attrs] of [['Relu', {}], ['Square', {}], ['Step', { alpha: 0 }], ['Step', { alpha: 0.25 }]] as const) {
    it.each([[[8]], [[36, 32, 32, 32]]] as const)(`${kernel} ${JSON.stringify(attrs)} of shape %j, NaN and infinities included`, async (shape) => {
      const x = values([...shape], 3);
      x.values.set(special);
      const [[expected], [actual]] = await cpuAndNative(kernel, { x }, attrs);
      expectSameBits(actual!.values, expected!.values);
    });
  }

  it.each([[[8]], [[36, 32, 32, 32]]] as const)('FrugalReluGrad of shape %j is dy·step(x) on the cpu backend, NaN and infinities included', async (shape) => {
    const x = values([...shape], 3);
    const dy = values([...shape], 4);
    x.values.set(special);
    dy.values.set(Float32Array.from([1, 2, -3, 4, -5, NaN, Infinity, -1]));
    await tf.setBackend('cpu');
    const expected = tf.tidy(() => tf.mul(tf.tensor(dy.values, dy.shape), tf.step(tf.tensor(x.values, x.shape))).dataSync());
    const [actual] = await runKernelOn('wasm', RELU_GRAD_KERNEL, { dy, x }, {});
    expectSameBits(actual!.values, expected as Float32Array);
  });

  it("ReLU's gradient runs as FrugalReluGrad on the native kernels and gives the bits of tfjs's Step and Multiply", async () => {
    const x = values([32, 16, 16, 32], 3);
    const dy = values([32, 16, 16, 32], 4);
    const gradient = async (backend: string) => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.relu(t))(tf.tensor(x.values, x.shape), tf.tensor(dy.values, dy.shape)));
      const values = Float32Array.from(await g.data());
      g.dispose();
      return values;
    };
    const called: string[] = [];
    const config = tf.getKernel(RELU_GRAD_KERNEL, 'wasm')!;
    tf.unregisterKernel(RELU_GRAD_KERNEL, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: (args) => (called.push(RELU_GRAD_KERNEL), config.kernelFunc(args)) });
    try {
      const native = await gradient('wasm');
      expect(called).toEqual([RELU_GRAD_KERNEL]);
      expectSameBits(native, await gradient('cpu'));
    } finally {
      tf.unregisterKernel(RELU_GRAD_KERNEL, 'wasm');
      tf.registerKernel(config);
    }
  });

  it('leaves integer sums to the wasm kernel', async () => {
    const a = { values: Int32Array.from([1, 2, 3]), shape: [3], dtype: 'int32' as const };
    const [[expected], [actual]] = await cpuAndNative('Add', { a, b: a }, {});
    expectSameBits(actual!.values, expected!.values);
  });
});
