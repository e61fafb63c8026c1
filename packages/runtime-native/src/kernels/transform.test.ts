import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { addon } from '../addon.js';
import { expectSameBits, intFrom, randomValues, runKernelOn, stream, useNative } from '../test-support/compare.js';
import { registerNativeKernels, unregisterNativeKernels } from './register.js';

/** The transform on wasm's own kernel and on the native one: [expected, actual, whether the addon's projective kernel ran]. */
async function wasmAndNative(image: { values: Float32Array; shape: number[] }, rows: number[], attrs: Record<string, unknown>) {
  const inputs = { image, transforms: { values: Float32Array.from(rows), shape: [rows.length / 8, 8] } };
  const all = { interpolation: 'nearest', fillMode: 'constant', fillValue: 0, outputShape: null, ...attrs };
  unregisterNativeKernels();
  const [expected] = await runKernelOn('wasm', 'Transform', inputs, all);
  registerNativeKernels();
  const projective = vi.spyOn(addon(), 'transformImages');
  const [actual] = await runKernelOn('wasm', 'Transform', inputs, all);
  const projected = projective.mock.calls.length > 0;
  projective.mockRestore();
  return [expected!, actual!, projected] as const;
}

describe('Transform on the wasm heap', () => {
  beforeAll(() => useNative());

  const flip = (w: number) => [-1, 0, w - 1, 0, 1, 0, 0, 0];
  const shift = (dx: number, dy: number) => [1, 0, -dx, 0, 1, -dy, 0, 0];
  /** A turn by `degrees` about the centre of a `size` × `size` image, as the augment package's rotate builds it. */
  const rotation = (degrees: number, size: number) => {
    const [cos, sin, c] = [Math.cos((degrees * Math.PI) / 180), Math.sin((degrees * Math.PI) / 180), (size - 1) / 2];
    return [cos, -sin, c - cos * c + sin * c, sin, cos, c - sin * c - cos * c, 0, 0];
  };
  // [what, image shape, maps, attributes, where it runs: copied whole pixels, the addon's projective kernel, or wasm's]
  const cases: [string, number[], number[], Record<string, unknown>, 'copy' | 'addon' | 'wasm'][] = [
    ['a batch, flipped or not', [4, 28, 28, 1], [...flip(28), ...shift(0, 0), ...flip(28), ...shift(0, 0)], {}, 'copy'],
    ['pad-and-crop shifts, colour', [3, 8, 9, 3], [...shift(2, -2), ...shift(-1, 0), ...shift(0, 2)], { fillValue: 0.5 }, 'copy'],
    ['shifts past the image', [2, 5, 6, 2], [...shift(6, 0), ...shift(0, -7)], { fillValue: -1 }, 'copy'],
    ['one map for the batch, bilinear', [3, 6, 5, 1], shift(1, 1), { interpolation: 'bilinear' }, 'copy'],
    ['a vertical flip with a shift', [2, 6, 5, 2], [1, 0, 0, 0, -1, 5, 0, 0, 1, 0, 1, 0, -1, 4, 0, 0], {}, 'copy'],
    ['a flip under the reflect mode (read inside)', [2, 4, 7, 1], [...flip(7), ...flip(7)], { fillMode: 'reflect' }, 'copy'],
    ['a shift under the wrap mode (left to wasm)', [2, 4, 7, 1], [...shift(1, 0), ...shift(0, 1)], { fillMode: 'wrap' }, 'wasm'],
    ['a quarter turn, bilinear', [2, 6, 6, 1], [0, -1, 5, 1, 0, 0, 0, 0, ...shift(0, 0)], { interpolation: 'bilinear' }, 'addon'],
    ['half a pixel, bilinear', [1, 6, 6, 1], shift(0.5, 0), { interpolation: 'bilinear' }, 'addon'],
    ['half a pixel, nearest (rounded away from zero)', [2, 5, 6, 2], [...shift(0.5, -0.5), ...shift(-1.5, 2.5)], {}, 'addon'],
    ['a rotation by 30° about the centre, colour', [2, 9, 9, 3], [...rotation(30, 9), ...rotation(-30, 9)], { interpolation: 'bilinear', fillValue: 0.5 }, 'addon'],
    ['a shear, the edge pixels outside', [2, 7, 8, 1], [1, 0.3, -1, 0, 1, 0, 0, 0, 1, 0, 0, -0.2, 1, 1, 0, 0], { interpolation: 'bilinear', fillMode: 'nearest' }, 'addon'],
    ['a projective map', [1, 8, 8, 2], [1.1, 0.1, -0.5, -0.05, 0.9, 0.3, 0.01, -0.02], { interpolation: 'bilinear' }, 'addon'],
    ['a projective map through infinity (the fill)', [1, 4, 4, 1], [1, 0, 0, 0, 1, 0, -0.5, 0], { fillValue: 0.25 }, 'addon'],
    ['a rotation under the reflect mode (left to wasm)', [1, 6, 6, 1], rotation(20, 6), { interpolation: 'bilinear', fillMode: 'reflect' }, 'wasm'],
  ];
  it.each(cases)('%s: the wasm kernel’s values', async (_name, shape, rows, attrs, path) => {
    const image = { values: randomValues(tf.util.sizeFromShape(shape), 3), shape };
    const [expected, actual, projected] = await wasmAndNative(image, rows, attrs);
    expect(projected).toBe(path === 'addon');
    expect(actual.shape).toEqual(expected.shape);
    expectSameBits(actual.values, expected.values);
  });

  it('random affine maps of random batches, both readings and fills', async () => {
    const int = intFrom(stream(7));
    const next = stream(8);
    const uniform = () => (next() + 1) / 2;
    for (let trial = 0; trial < 40; trial++) {
      const shape = [int(1, 4), int(1, 9), int(1, 9), int(1, 3)];
      const rows = Array.from({ length: trial % 3 ? shape[0]! : 1 }, () => [
        ...[0.5 + uniform(), uniform() - 0.5, 4 * uniform() - 2, uniform() - 0.5, 0.5 + uniform(), 4 * uniform() - 2].map(Math.fround),
        0,
        0,
      ]).flat();
      const image = { values: randomValues(tf.util.sizeFromShape(shape), 100 + trial), shape };
      const attrs = { fillValue: trial / 10, interpolation: trial % 2 ? 'bilinear' : 'nearest', fillMode: trial % 4 < 2 ? 'constant' : 'nearest' };
      const [expected, actual, projected] = await wasmAndNative(image, rows, attrs);
      expect(projected).toBe(true);
      expectSameBits(actual.values, expected.values, `${shape} ${rows} ${JSON.stringify(attrs)}`);
    }
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
