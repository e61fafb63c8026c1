import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { meanConfig } from './Mean.js';
import { registerWasmTrainingKernels } from './register.js';
import { sumConfig } from './Sum.js';

/** A batch of activations far from zero, where a float32 running sum loses digits. */
const shape = [64, 28, 28, 4];
const values = Float32Array.from({ length: 64 * 28 * 28 * 4 }, (_, i) => 3 + Math.sin(i * 12.9898) * 0.5);

async function reduceOn(backend: string, op: 'sum' | 'mean', axis: number[], keepDims = false, dtype: 'float32' | 'int32' = 'float32') {
  await tf.setBackend(backend);
  const x = tf.tensor(dtype === 'int32' ? Int32Array.from(values, (v) => Math.round(v * 10)) : values, shape, dtype);
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
    ['mean', [0, 1, 2], false],
    ['sum', [0, 1, 2], true],
    ['mean', [3], true],
    ['sum', [1, 2, 3], false],
    ['mean', [0, 1, 2, 3], false],
  ] as const)('%s over %j (keepDims %s) equals the cpu backend’s to the bit', async (op, axis, keepDims) => {
    const cpu = await reduceOn('cpu', op, [...axis], keepDims);
    const wasm = await reduceOn('wasm', op, [...axis], keepDims);
    expect(wasm.shape).toEqual(cpu.shape);
    expect(wasm.values).toEqual(cpu.values);
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
