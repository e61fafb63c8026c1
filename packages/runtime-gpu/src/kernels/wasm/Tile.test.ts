import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../../test-support/compare-with-cpu.js';
import { registerWasmTrainingKernels } from './register.js';

const cases: [number[], number[]][] = [
  [[1, 1, 1, 5], [3, 7, 9, 1]],
  [[2, 3], [2, 3]],
  [[3], [5]],
  [[2, 1, 3], [1, 4, 1]],
  [[2, 3, 1, 2], [2, 1, 3, 2]],
  [[1, 2, 3, 1, 2], [3, 1, 2, 2, 1]],
  [[4, 5], [1, 1]],
  [[0, 3], [2, 2]],
];

async function tileOn(backend: string, shape: number[], reps: number[], dtype: 'float32' | 'int32' | 'bool') {
  await tf.setBackend(backend);
  const size = tf.util.sizeFromShape(shape);
  const values = Array.from(randomValues(size, 3), (v) => (dtype === 'float32' ? v : dtype === 'int32' ? Math.round(v * 100) : v > 0 ? 1 : 0));
  const x = tf.tensor(values, shape, dtype);
  const y = tf.tile(x, reps);
  const out = { shape: y.shape, values: Array.from(await y.data()) };
  tf.dispose([x, y]);
  return out;
}

describe('Tile on wasm matches the cpu backend', () => {
  beforeAll(() => registerWasmTrainingKernels());
  it.each(cases.flatMap(([s, r]) => (['float32', 'int32', 'bool'] as const).map((d) => [s, r, d] as const)))('%j × %j (%s)', async (shape, reps, dtype) => {
    const expected = await tileOn('cpu', shape, reps, dtype);
    expect(await tileOn('wasm', shape, reps, dtype)).toEqual(expected);
  });
});
