import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, relativeError, useNative, expectSameBits } from '../test-support/compare.js';

const values = (shape: number[], seed: number) => ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed).map((v) => v + 0.25), shape });

// [shape, axis]: leading axes (BatchNorm), trailing axes (global pooling, losses), one axis, all,
// and axes in the middle (left to the wasm kernel).
const cases: [number[], number | number[]][] = [
  [[64, 28, 28, 16], [0, 1, 2]],
  [[72, 32, 32, 16], [0, 1, 2]], // above 2^20 values: every thread, whichever the wait policy
  [[72, 32, 32, 16], [1, 2, 3]],
  [[7, 5, 3], [0, 1]],
  [[7, 5, 3], 0],
  [[8, 4, 4, 32], [1, 2]],
  [[7, 5, 3], [1, 2]],
  [[7, 5, 3], -1],
  [[9, 10], 1],
  [[13], 0],
  [[2, 3, 4], [0, 1, 2]],
  [[1, 1, 1, 1], [0, 1, 2]],
  [[4, 5, 6, 7], [1]],
  [[4, 5, 6, 7], [0, 2]],
];

describe('sums and means on the addon match the cpu backend (relative error < 1e-5)', () => {
  beforeAll(() => useNative());

  for (const kernel of ['Sum', 'Mean'] as const) {
    it.each(cases.flatMap(([shape, axis]) => [false, true].map((keepDims) => [`[${shape}] over ${JSON.stringify(axis)}${keepDims ? ' keeping dims' : ''}`, shape, axis, keepDims] as const)))(
      `${kernel} %s`,
      async (_n, shape, axis, keepDims) => {
        const [[expected], [actual]] = await cpuAndNative(kernel, { x: values(shape, 1) }, { axis, keepDims });
        expect(actual!.shape).toEqual(expected!.shape);
        expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
      },
    );
  }

  it('leaves integer sums to the wasm kernel', async () => {
    const x = { values: Int32Array.from([1, 2, 3, 4, 5, 6]), shape: [2, 3], dtype: 'int32' as const };
    const [[expected], [actual]] = await cpuAndNative('Sum', { x }, { axis: 0, keepDims: false });
    expectSameBits(actual!.values, expected!.values);
  });
});
