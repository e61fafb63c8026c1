import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, expectSameBits, intFrom, randomValues, stream, useNative } from '../test-support/compare.js';

describe('Slice on the wasm heap', () => {
  beforeAll(() => useNative());

  const cases: [number[], number[], number[]][] = [
    [[32, 33, 33, 16], [0, 1, 1, 0], [32, 32, 32, 16]], // a padding's gradient
    [[5, 7], [1, 2], [3, 4]],
    [[5, 7], [0, 0], [5, 7]],
    [[4, 3, 2, 5, 6], [1, 0, 1, 2, 0], [2, 3, 1, 3, 6]],
    [[2, 3, 4, 5, 6, 3], [1, 1, 0, 2, 3, 1], [1, 2, 4, 2, 3, 2]],
    [[9], [3], [0]],
  ];
  it.each(cases)('x %j from %j, size %j: the cpu backend’s values', async (shape, begin, size) => {
    const x = { values: randomValues(tf.util.sizeFromShape(shape), 1), shape };
    const [[expected], [actual]] = await cpuAndNative('Slice', { x }, { begin, size });
    expect(actual!.shape).toEqual(expected!.shape);
    expectSameBits(actual!.values, expected!.values);
  });

  it('random slices of random shapes, float32 and int32', async () => {
    const int = intFrom(stream(7));
    for (let trial = 0; trial < 40; trial++) {
      const shape = Array.from({ length: int(1, 6) }, () => int(1, 6));
      const begin = shape.map((d) => int(0, d - 1));
      const size = shape.map((d, k) => int(0, d - begin[k]!));
      const dtype = trial % 2 ? 'int32' : 'float32';
      const values = dtype === 'int32' ? Int32Array.from(randomValues(tf.util.sizeFromShape(shape), trial), (v) => Math.round(v * 1000)) : randomValues(tf.util.sizeFromShape(shape), trial);
      const [[expected], [actual]] = await cpuAndNative('Slice', { x: { values, shape, dtype } }, { begin, size });
      expect(actual!.shape, `${shape} ${begin} ${size}`).toEqual(expected!.shape);
      expect(Array.from(actual!.values), `${shape} ${begin} ${size}`).toEqual(Array.from(expected!.values));
    }
  });
});
