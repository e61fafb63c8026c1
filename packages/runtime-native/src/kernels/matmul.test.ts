import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, relativeError, useNative } from '../test-support/compare.js';

const values = (shape: number[], seed: number) => ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed), shape });

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { a: [1, 4, 3], b: [1, 3, 5], transposeA: false, transposeB: false },
  { a: [2, 3, 4], b: [2, 3, 5], transposeA: true, transposeB: false },
  { a: [3, 7, 2], b: [3, 5, 2], transposeA: false, transposeB: true },
  { a: [2, 6, 7], b: [2, 5, 6], transposeA: true, transposeB: true },
  { a: [64, 64], b: [64, 10], transposeA: false, transposeB: false },
  { a: [64, 64], b: [64, 10], transposeA: true, transposeB: false },
  { a: [64, 10], b: [64, 10], transposeA: true, transposeB: false },
  { a: [4, 3, 5], b: [1, 5, 2], transposeA: false, transposeB: false },
  { a: [1, 3, 5], b: [4, 5, 2], transposeA: false, transposeB: false },
  { a: [2, 2, 3, 5], b: [2, 2, 5, 1], transposeA: false, transposeB: false },
  { a: [1, 1, 1], b: [1, 1, 1], transposeA: false, transposeB: false },
  { a: [33, 17], b: [17, 129], transposeA: false, transposeB: false },
];
const name = (c: Case) => `a [${c.a}]${c.transposeA ? 'ᵀ' : ''} b [${c.b}]${c.transposeB ? 'ᵀ' : ''}`;
const n = (c: Case) => (c.transposeB ? c.b.at(-2)! : c.b.at(-1)!);

describe('matrix products on oneDNN match the cpu backend (relative error < 1e-5)', () => {
  beforeAll(() => useNative());

  it.each(cases.map((c) => [name(c), c] as const))('BatchMatMul %s', async (_n, c) => {
    const [[expected], [actual]] = await cpuAndNative('BatchMatMul', { a: values(c.a, 1), b: values(c.b, 2) }, { transposeA: c.transposeA, transposeB: c.transposeB });
    expect(actual!.shape).toEqual(expected!.shape);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it.each(cases.flatMap((c) => ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'].map((a) => [`${a} ${name(c)}`, c, a] as const)))(
    '_FusedMatMul %s',
    async (_n, c, activation) => {
      const inputs = { a: values(c.a, 1), b: values(c.b, 2), bias: values([n(c)], 3) };
      const attrs = { transposeA: c.transposeA, transposeB: c.transposeB, activation, leakyreluAlpha: 0.3 };
      const [[expected], [actual]] = await cpuAndNative('_FusedMatMul', inputs, attrs);
      expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
    },
  );

  it('leaves what oneDNN does not fuse (prelu) to the wasm kernel', async () => {
    const inputs = { a: values([1, 4, 6], 1), b: values([1, 6, 3], 2), bias: values([3], 3), preluActivationWeights: values([3], 4) };
    const [[expected], [actual]] = await cpuAndNative('_FusedMatMul', inputs, { transposeA: false, transposeB: false, activation: 'prelu' });
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });
});
