import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanConfig } from './Mean.js';
import { registerWasmTrainingKernels } from './register.js';
import { sumConfig } from './Sum.js';

/** A batch of activations far from zero, where a float32 running sum loses digits. */
const shape = [64, 28, 28, 4];
const activations = (size: number) => Float32Array.from({ length: size }, (_, i) => 3 + Math.sin(i * 12.9898) * 0.5);
const values = activations(64 * 28 * 28 * 4);

async function reduceOn(backend: string, op: 'sum' | 'mean', axis: number[], keepDims = false, dtype: 'float32' | 'int32' = 'float32', of = shape) {
  await tf.setBackend(backend);
  const data = activations(of.reduce((a, b) => a * b, 1));
  const x = tf.tensor(dtype === 'int32' ? Int32Array.from(data, (v) => Math.round(v * 10)) : data, of, dtype);
  const y = tf[op](x, axis, keepDims);
  const out = { shape: y.shape, dtype: y.dtype, values: Array.from(await y.data()) };
  tf.dispose([x, y]);
  return out;
}

describe('Sum and Mean on wasm', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it('are the registered wasm kernels', () => {
    expect(tf.getKernel('Sum', 'wasm')).toBe(sumConfig);
    expect(tf.getKernel('Mean', 'wasm')).toBe(meanConfig);
  });

  it.each([
    ['mean', [0, 1, 2], false, shape],
    ['sum', [0, 1, 2], true, shape],
    ['mean', [3], true, shape],
    ['sum', [1, 2, 3], false, shape],
    ['mean', [0, 1, 2, 3], false, shape],
    // seven columns (four at a time, then three alone), and rows past a block of 128
    ['sum', [0, 1, 2], false, [50, 7, 7, 7]],
    ['mean', [0, 1], false, [50, 7, 7, 7]],
    ['sum', [0], false, [130, 3]],
  ] as const)('%s over %j (keepDims %s) of %j equals the cpu backend’s to the bit', async (op, axis, keepDims, of) => {
    const cpu = await reduceOn('cpu', op, [...axis], keepDims, 'float32', [...of]);
    const wasm = await reduceOn('wasm', op, [...axis], keepDims, 'float32', [...of]);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
  });

  it('adds each column’s rows in order, as the cpu backend does, across blocks of rows', async () => {
    // 1e20 - 1e20 + 1 + 1 + … : a sum taken in another order (a block's rows first) loses the ones.
    const rows = 300;
    const columns = 5;
    const data = new Float32Array(rows * columns);
    for (let c = 0; c < columns; c++) {
      data[c] = 1e20;
      data[128 * columns + c] = -1e20;
      for (let r = 129; r < rows; r++) data[r * columns + c] = 1;
    }
    const sums = async (backend: string) => {
      await tf.setBackend(backend);
      const x = tf.tensor(data, [rows, columns]);
      const y = tf.sum(x, 0);
      const out = Array.from(await y.data());
      tf.dispose([x, y]);
      return out;
    };
    expect(await sums('cpu')).toEqual([171, 171, 171, 171, 171]);
    expect(await sums('wasm')).toEqual(await sums('cpu'));
  });

  it('holds a BatchNorm layer’s channel means to float32’s precision', async () => {
    const wasm = await reduceOn('wasm', 'mean', [0, 1, 2]);
    const exact = [0, 0, 0, 0];
    values.forEach((v, i) => (exact[i % 4] += v / (values.length / 4)));
    wasm.values.forEach((m, c) => expect(Math.abs(m - exact[c]!) / exact[c]!).toBeLessThan(2e-7));
  });

  it('leave other axes and integer sums to tfjs-backend-wasm', async () => {
    const cpuMiddle = await reduceOn('cpu', 'mean', [1]);
    const wasmMiddle = await reduceOn('wasm', 'mean', [1]);
    expect(wasmMiddle.shape).toEqual([64, 28, 4]);
    wasmMiddle.values.forEach((v, i) => expect(Math.abs(v - cpuMiddle.values[i]!)).toBeLessThan(1e-5));
    const cpuInt = await reduceOn('cpu', 'sum', [0, 1, 2], false, 'int32');
    const wasmInt = await reduceOn('wasm', 'sum', [0, 1, 2], false, 'int32');
    expect(wasmInt).toEqual(cpuInt);
  });
});
