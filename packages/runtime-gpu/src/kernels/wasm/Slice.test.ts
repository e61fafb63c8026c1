import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../../test-support/compare-with-cpu.js';
import { registerWasmTrainingKernels } from './register.js';
import { sliceConfig } from './Slice.js';

// [shape, begin, size]
const cases: [number[], number[], number[]][] = [
  [[2, 4, 2, 4, 2, 3], [0, 0, 0, 0, 0, 0], [2, 4, 1, 4, 1, 3]], // the CIFAR shortcut's x[:, ::2, ::2, :]
  [[2, 3, 2, 3, 2, 5], [1, 1, 1, 0, 1, 2], [1, 2, 1, 3, 1, 3]],
  [[3, 2, 4, 5, 6], [1, 0, 1, 2, 0], [2, 2, 3, 3, 6]],
  [[2, 2, 2, 2, 2, 2, 2], [1, 0, 1, 0, 1, 0, 1], [1, 2, 1, 2, 1, 2, 1]],
  [[4, 1, 3, 2, 40], [0, 0, 1, 0, 0], [4, 1, 2, 2, 40]], // long runs
  [[4, 5, 6], [1, 1, 1], [2, 3, 4]],
  [[3, 5, 5, 4], [0, 0, 0, 0], [3, 4, 4, 4]], // a stride-2 convolution's padding gradient cut back: runs of a row's channels
  [[3, 6, 6, 4], [1, 1, 1, 0], [2, 4, 4, 4]],
  [[5, 7], [1, 2], [3, 4]],
  [[6], [2], [3]], // one run: tfjs-backend-wasm's own kernel
  [[2, 2, 2, 2, 2], [0, 0, 0, 0, 0], [2, 2, 2, 2, 0]],
];

async function sliceOn(backend: string, shape: number[], begin: number[], size: number[], dtype: 'float32' | 'int32' | 'bool') {
  await tf.setBackend(backend);
  const values = Array.from(randomValues(tf.util.sizeFromShape(shape), 5), (v) => (dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0));
  const x = tf.tensor(values, shape, dtype);
  const y = tf.slice(x, begin, size);
  const out = { shape: y.shape, values: Array.from(await y.data()) };
  tf.dispose([x, y]);
  return out;
}

describe('Slice on wasm matches the cpu backend', () => {
  beforeAll(() => registerWasmTrainingKernels());
  it('is the registered wasm Slice', () => expect(tf.getKernel('Slice', 'wasm')).toBe(sliceConfig));
  it.each(cases.flatMap(([s, b, z]) => (['float32', 'int32', 'bool'] as const).map((d) => [s, b, z, d] as const)))('%j at %j size %j (%s)', async (shape, begin, size, dtype) => {
    const expected = await sliceOn('cpu', shape, begin, size, dtype);
    expect(await sliceOn('wasm', shape, begin, size, dtype)).toEqual(expected);
  });
});
