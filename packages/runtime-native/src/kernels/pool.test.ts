import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, relativeError, useNative } from '../test-support/compare.js';

type Pad = 'same' | 'valid' | number;
interface Case {
  x: [number, number, number, number];
  filterSize: [number, number];
  strides: [number, number];
  pad: Pad;
}

const cases: Case[] = [
  { x: [2, 8, 8, 3], filterSize: [2, 2], strides: [2, 2], pad: 'valid' },
  { x: [2, 8, 8, 3], filterSize: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [1, 7, 9, 4], filterSize: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [3, 11, 10, 2], filterSize: [3, 2], strides: [1, 2], pad: 'valid' },
  { x: [2, 5, 5, 5], filterSize: [5, 5], strides: [1, 1], pad: 'same' },
  { x: [2, 6, 6, 3], filterSize: [3, 3], strides: [3, 3], pad: 1 },
  { x: [4, 16, 16, 64], filterSize: [3, 3], strides: [2, 2], pad: 'same' },
  { x: [1, 1, 1, 1], filterSize: [1, 1], strides: [1, 1], pad: 'valid' },
];
const name = (c: Case) => `x [${c.x}] filter [${c.filterSize}] strides [${c.strides}] pad ${c.pad}`;
const values = (shape: number[], seed: number) => ({ values: randomValues(tf.util.sizeFromShape(shape), seed), shape });

describe('pooling on the addon matches the cpu backend (relative error < 1e-5)', () => {
  beforeAll(() => useNative());

  for (const kind of ['MaxPool', 'AvgPool'] as const) {
    it.each(cases.map((c) => [name(c), c] as const))(`${kind} %s`, async (_n, c) => {
      const [[expected], [actual]] = await cpuAndNative(kind, { x: values(c.x, 1) }, { filterSize: c.filterSize, strides: c.strides, pad: c.pad });
      expect(actual!.shape).toEqual(expected!.shape);
      expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
    });
  }

  it.each(cases.map((c) => [name(c), c] as const))('MaxPoolGrad %s', async (_n, c) => {
    const attrs = { filterSize: c.filterSize, strides: c.strides, pad: c.pad };
    const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
    const x = values(c.x, 1);
    await tf.setBackend('cpu');
    const y = tf.tidy(() => tf.maxPool(tf.tensor4d(x.values, c.x), c.filterSize, c.strides, c.pad));
    const output = { values: (await y.data()) as Float32Array, shape: y.shape };
    y.dispose();
    const inputs = { dy: values(info.outShape, 2), input: x, output };
    const [[expected], [actual]] = await cpuAndNative('MaxPoolGrad', inputs, attrs);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it('MaxPoolGrad sends each gradient to the first maximum of a window with ties', async () => {
    const x = { values: new Float32Array(16).fill(1), shape: [1, 4, 4, 1] };
    const inputs = { dy: { values: Float32Array.from([1, 2, 3, 4]), shape: [1, 2, 2, 1] }, input: x, output: { values: new Float32Array(4).fill(1), shape: [1, 2, 2, 1] } };
    const [[expected], [actual]] = await cpuAndNative('MaxPoolGrad', inputs, { filterSize: 2, strides: 2, pad: 'valid' });
    expect(Array.from(actual!.values)).toEqual(Array.from(expected!.values));
    expect(Array.from(actual!.values).filter((v) => v !== 0)).toEqual([1, 2, 3, 4]);
  });

  // Overlapping windows over few distinct values (ties in most windows), with -0, -Infinity and NaN
  // among them: each gradient goes where the cpu backend sends it (which sums in float64 where an
  // input pixel takes several).
  it.each([
    [[2, 8, 8, 3], 3, 1],
    [[2, 16, 16, 64], 3, 1],
    [[2, 15, 15, 40], 3, 2],
  ] as const)('MaxPoolGrad of x %j, filter %i, stride %i, with ties and NaN', async (shape, filterSize, strides) => {
    const x = values([...shape], 1);
    x.values.forEach((v, i) => (x.values[i] = [NaN, -Infinity, -0, 0][i % 97] ?? Math.round(v * 2) / 2));
    await tf.setBackend('cpu');
    const y = tf.tidy(() => tf.maxPool(tf.tensor4d(x.values, [...shape]), filterSize, strides, 'same'));
    const output = { values: (await y.data()) as Float32Array, shape: y.shape };
    y.dispose();
    const inputs = { dy: values(output.shape, 2), input: x, output };
    const [[expected], [actual]] = await cpuAndNative('MaxPoolGrad', inputs, { filterSize, strides, pad: 'same' });
    const reached = (v: Float32Array | Int32Array | Uint8Array) => Array.from(v, (g) => g !== 0);
    expect(reached(actual!.values)).toEqual(reached(expected!.values));
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-6);
  });

  it.each(cases.map((c) => [name(c), c] as const))('AvgPoolGrad %s', async (_n, c) => {
    const info = tf.backend_util.computePool2DInfo(c.x, c.filterSize, c.strides, 1, c.pad);
    const inputs = { dy: values(info.outShape, 2), input: values(c.x, 1) };
    const [[expected], [actual]] = await cpuAndNative('AvgPoolGrad', inputs, { filterSize: c.filterSize, strides: c.strides, pad: c.pad });
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });
});
