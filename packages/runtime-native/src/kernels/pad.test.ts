import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, expectSameBits, intFrom, randomValues, stream, useNative } from '../test-support/compare.js';

describe('PadV2 on the wasm heap', () => {
  beforeAll(() => useNative());

  const cases: [number[], [number, number][], number][] = [
    [[32, 28, 28, 8], [[0, 0], [1, 1], [1, 1], [0, 0]], 0], // a stride-2 convolution's explicit padding
    [[8, 14, 14, 16], [[0, 0], [0, 0], [0, 0], [4, 4]], 0], // a shortcut's channel padding
    [[5, 7], [[2, 0], [0, 3]], -1.5],
    [[5, 7], [[0, 0], [0, 0]], 2],
    [[4, 3, 2, 5, 6], [[1, 0], [0, 2], [1, 1], [0, 0], [3, 1]], 0.25],
    [[9], [[0, 4]], 7],
    [[3, 0, 2], [[1, 1], [0, 0], [1, 0]], 5],
  ];
  it.each(cases)('x %j padded %j with %d: the cpu backend’s values', async (shape, paddings, constantValue) => {
    const x = { values: randomValues(tf.util.sizeFromShape(shape), 1), shape };
    const [[expected], [actual]] = await cpuAndNative('PadV2', { x }, { paddings, constantValue });
    expect(actual!.shape).toEqual(expected!.shape);
    expectSameBits(actual!.values, expected!.values);
  });

  it('random paddings of random shapes, float32 and int32', async () => {
    const int = intFrom(stream(11));
    for (let trial = 0; trial < 40; trial++) {
      const shape = Array.from({ length: int(1, 6) }, () => int(1, 5));
      const paddings = shape.map(() => [int(0, 2), int(0, 2)] as [number, number]);
      const dtype = trial % 2 ? 'int32' : 'float32';
      const constantValue = trial % 3 === 0 ? 0 : trial - 20;
      const values = dtype === 'int32' ? Int32Array.from(randomValues(tf.util.sizeFromShape(shape), trial), (v) => Math.round(v * 1000)) : randomValues(tf.util.sizeFromShape(shape), trial);
      const [[expected], [actual]] = await cpuAndNative('PadV2', { x: { values, shape, dtype } }, { paddings, constantValue });
      expect(actual!.shape, `${shape} ${JSON.stringify(paddings)}`).toEqual(expected!.shape);
      expect(Array.from(actual!.values), `${shape} ${JSON.stringify(paddings)}`).toEqual(Array.from(expected!.values));
    }
  });
});
