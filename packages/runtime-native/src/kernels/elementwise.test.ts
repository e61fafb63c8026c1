import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, runKernelOn, useNative, expectSameBits } from '../test-support/compare.js';
import { CLIP_GRAD_KERNEL } from './ClipByValueGrad.js';
import { RELU6_GRAD_KERNEL } from './Relu6Grad.js';
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

  // The clipped activations' gradients: each one kernel against tfjs's ops on the cpu backend, at
  // and beside the bounds, NaN and infinities included.
  const atBounds = Float32Array.from([NaN, -Infinity, -0.5, -0, 0, 1e-30, 0.5, 6, 6.000001, Infinity, -1, 1, 5.99, 0.25, 0, 6]);
  const clipped = [
    [RELU6_GRAD_KERNEL, {}, (dy: tf.Tensor, x: tf.Tensor) => tf.mul(dy, tf.cast(tf.mul(tf.lessEqual(x, 6), tf.step(x)), 'float32'))],
    [CLIP_GRAD_KERNEL, { clipValueMin: 0, clipValueMax: 6 }, (dy: tf.Tensor, x: tf.Tensor) => tf.where(tf.logicalAnd(tf.greaterEqual(x, 0), tf.lessEqual(x, 6)), dy, tf.zerosLike(dy))],
    [CLIP_GRAD_KERNEL, { clipValueMin: -0.5, clipValueMax: 0.25 }, (dy: tf.Tensor, x: tf.Tensor) => tf.where(tf.logicalAnd(tf.greaterEqual(x, -0.5), tf.lessEqual(x, 0.25)), dy, tf.zerosLike(dy))],
  ] as const;
  for (const [kernel, attrs, reference] of clipped) {
    it.each([[[16]], [[36, 32, 32, 32]]] as const)(`${kernel} ${JSON.stringify(attrs)} of shape %j gives tfjs's ops' bits on the cpu backend`, async (shape) => {
      const x = values([...shape], 3);
      const dy = values([...shape], 4);
      x.values.forEach((v, i) => (x.values[i] = v * 8));
      for (let i = 0; i + 16 <= x.values.length; i += 64) x.values.set(atBounds, i);
      dy.values.set(Float32Array.from([1, 2, -3, 4, -5, NaN, Infinity, -1, 7, -Infinity, 0.5, -0, 3, NaN, 2, 1]));
      await tf.setBackend('cpu');
      const expected = tf.tidy(() => reference(tf.tensor(dy.values, dy.shape), tf.tensor(x.values, x.shape)).dataSync());
      const [actual] = await runKernelOn('wasm', kernel, { dy, x }, attrs);
      expectSameBits(actual!.values, expected as Float32Array);
    });
  }

  // Each gradient through tf.grad: on the native kernels it is one kernel call, with the bits tfjs's own gives on the cpu backend.
  const gradients = [
    ['ReLU', RELU_GRAD_KERNEL, (t: tf.Tensor) => tf.relu(t)],
    ['ReLU6', RELU6_GRAD_KERNEL, (t: tf.Tensor) => tf.relu6(t)],
    ['clipByValue', CLIP_GRAD_KERNEL, (t: tf.Tensor) => tf.clipByValue(t, -0.25, 0.5)],
  ] as const;
  it.each(gradients)("%s's gradient runs as %s on the native kernels and gives the bits of tfjs's own", async (_name, kernel, f) => {
    const x = values([32, 16, 16, 32], 3);
    x.values.forEach((v, i) => (x.values[i] = v * 8));
    const dy = values([32, 16, 16, 32], 4);
    const gradient = async (backend: string) => {
      await tf.setBackend(backend);
      const g = tf.tidy(() => tf.grad(f)(tf.tensor(x.values, x.shape), tf.tensor(dy.values, dy.shape)));
      const values = Float32Array.from(await g.data());
      g.dispose();
      return values;
    };
    const called: string[] = [];
    const config = tf.getKernel(kernel, 'wasm')!;
    tf.unregisterKernel(kernel, 'wasm');
    tf.registerKernel({ ...config, kernelFunc: (args) => (called.push(kernel), config.kernelFunc(args)) });
    try {
      const native = await gradient('wasm');
      expect(called).toEqual([kernel]);
      expectSameBits(native, await gradient('cpu'));
    } finally {
      tf.unregisterKernel(kernel, 'wasm');
      tf.registerKernel(config);
    }
  });

  it('leaves integer sums to the wasm kernel', async () => {
    const a = { values: Int32Array.from([1, 2, 3]), shape: [3], dtype: 'int32' as const };
    const [[expected], [actual]] = await cpuAndNative('Add', { a, b: a }, {});
    expectSameBits(actual!.values, expected!.values);
  });
});
