import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectSameBits, intFrom, randomValues, runKernelOn, stream, useNative } from '../test-support/compare.js';
import { registerNativeKernels, unregisterNativeKernels } from './register.js';

/** The transform on wasm's own kernel and on the native one: [expected, actual]. */
async function wasmAndNative(image: { values: Float32Array; shape: number[] }, rows: number[], attrs: Record<string, unknown>) {
  const inputs = { image, transforms: { values: Float32Array.from(rows), shape: [rows.length / 8, 8] } };
  const all = { interpolation: 'nearest', fillMode: 'constant', fillValue: 0, outputShape: null, ...attrs };
  unregisterNativeKernels();
  const [expected] = await runKernelOn('wasm', 'Transform', inputs, all);
  registerNativeKernels();
  const [actual] = await runKernelOn('wasm', 'Transform', inputs, all);
  return [expected!, actual!] as const;
}

describe('Transform on the wasm heap', () => {
  beforeAll(() => useNative());

  const flip = (w: number) => [-1, 0, w - 1, 0, 1, 0, 0, 0];
  const shift = (dx: number, dy: number) => [1, 0, -dx, 0, 1, -dy, 0, 0];
  const cases: [string, number[], number[], Record<string, unknown>][] = [
    ['a batch, flipped or not', [4, 28, 28, 1], [...flip(28), ...shift(0, 0), ...flip(28), ...shift(0, 0)], {}],
    ['pad-and-crop shifts, colour', [3, 8, 9, 3], [...shift(2, -2), ...shift(-1, 0), ...shift(0, 2)], { fillValue: 0.5 }],
    ['shifts past the image', [2, 5, 6, 2], [...shift(6, 0), ...shift(0, -7)], { fillValue: -1 }],
    ['one map for the batch, bilinear', [3, 6, 5, 1], shift(1, 1), { interpolation: 'bilinear' }],
    ['a vertical flip with a shift', [2, 6, 5, 2], [1, 0, 0, 0, -1, 5, 0, 0, 1, 0, 1, 0, -1, 4, 0, 0], {}],
    ['a flip under the reflect mode (read inside)', [2, 4, 7, 1], [...flip(7), ...flip(7)], { fillMode: 'reflect' }],
    ['a shift under the wrap mode (left to wasm)', [2, 4, 7, 1], [...shift(1, 0), ...shift(0, 1)], { fillMode: 'wrap' }],
    ['a rotation (left to wasm)', [2, 6, 6, 1], [0, -1, 5, 1, 0, 0, 0, 0, ...shift(0, 0)], { interpolation: 'bilinear' }],
    ['half a pixel (left to wasm)', [1, 6, 6, 1], shift(0.5, 0), { interpolation: 'bilinear' }],
  ];
  it.each(cases)('%s: the wasm kernel’s values', async (_name, shape, rows, attrs) => {
    const image = { values: randomValues(tf.util.sizeFromShape(shape), 3), shape };
    const [expected, actual] = await wasmAndNative(image, rows, attrs);
    expect(actual.shape).toEqual(expected.shape);
    expectSameBits(actual.values, expected.values);
  });

  it('random flips and shifts of random batches', async () => {
    const int = intFrom(stream(5));
    for (let trial = 0; trial < 30; trial++) {
      const shape = [int(1, 4), int(1, 7), int(1, 7), int(1, 3)];
      const [n, h, w] = shape as [number, number, number];
      const rows = Array.from({ length: n }, () => {
        const sx = int(0, 1) ? 1 : -1;
        const sy = int(0, 1) ? 1 : -1;
        return [sx, 0, (sx === 1 ? 0 : w - 1) + int(-3, 3), 0, sy, (sy === 1 ? 0 : h - 1) + int(-3, 3), 0, 0];
      }).flat();
      const image = { values: randomValues(tf.util.sizeFromShape(shape), trial), shape };
      const [expected, actual] = await wasmAndNative(image, rows, { fillValue: trial / 10, interpolation: trial % 2 ? 'bilinear' : 'nearest' });
      expectSameBits(actual.values, expected.values, `${shape} ${rows}`);
    }
  });
});
