import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, intFrom, relativeError, runKernelOn, stream, useNative } from '../test-support/compare.js';
import { addon } from '../addon.js';
import { caseName, MANY_CHANNELS_ON_TINY_IMAGES, seededInput, type ConvCase, type Pad } from '../test-support/conv-case.js';
import { convParams, CONV_BACKWARD_WEIGHTS, CONV_FORWARD } from './conv-params.js';


const fixed: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [3, 8, 8, 4], filter: [3, 3, 4, 2], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: [2, 11, 13, 3], filter: [5, 5, 3, 2], strides: [3, 3], dilations: [1, 1], pad: 'same' },
  { x: [2, 5, 7, 3], filter: [1, 1, 3, 6], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [3, 2, 2, 2], strides: [1, 2], dilations: [1, 1], pad: [[0, 0], [2, 1], [0, 1], [0, 0]] },
  { x: [1, 4, 4, 2], filter: [5, 5, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 16], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [8, 16, 16, 32], filter: [3, 3, 32, 64], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  ...MANY_CHANNELS_ON_TINY_IMAGES,
];

/** Random geometries: sizes 1–13, filters 1–5, strides 1–3, dilations 1–3 where the stride is 1. */
function randomCases(count: number, seed: number, withDilations: boolean): ConvCase[] {
  const int = intFrom(stream(seed));
  const cases: ConvCase[] = [];
  while (cases.length < count) {
    const fh = int(1, 5);
    const fw = int(1, 5);
    const strides: [number, number] = [int(1, 3), int(1, 3)];
    const dilations: [number, number] = withDilations && strides[0] === 1 && strides[1] === 1 ? [int(1, 3), int(1, 3)] : [1, 1];
    // (tfjs sizes both sides of a numeric padding with the height's stride and filter, output
    // sizes no padding gives where they differ: see the fallback test.)
    const kind = strides[0] === strides[1] && fh === fw ? int(0, 3) : [0, 1, 3][int(0, 2)]!;
    const pad: Pad = kind === 0 ? 'same' : kind === 1 ? 'valid' : kind === 2 ? int(0, 2) : [[0, 0], [int(0, fh - 1), int(0, fh - 1)], [int(0, fw - 1), int(0, fw - 1)], [0, 0]];
    const x: ConvCase['x'] = [int(1, 3), int(1, 13), int(1, 13), int(1, 6)];
    const filter: ConvCase['filter'] = [fh, fw, x[3], int(1, 6)];
    try {
      const info = tf.backend_util.computeConv2DInfo(x, filter, strides, dilations, pad);
      if (info.outHeight < 1 || info.outWidth < 1) continue;
    } catch {
      continue;
    }
    cases.push({ x, filter, strides, dilations, pad });
  }
  return cases;
}


describe('convolutions on oneDNN match the cpu backend (relative error < 1e-5)', () => {
  beforeAll(() => useNative());

  const forward = [...fixed, ...randomCases(24, 3, true)];
  it.each(forward.map((c) => [caseName(c), c] as const))('Conv2D %s', async (_n, c) => {
    const [[expected], [actual]] = await cpuAndNative('Conv2D', { x: seededInput(c.x, 1), filter: seededInput(c.filter, 2) }, { strides: c.strides, pad: c.pad, dilations: c.dilations, dataFormat: 'NHWC' });
    expect(actual!.shape).toEqual(expected!.shape);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it.each(forward.slice(0, 12).flatMap((c) => ['linear', 'relu', 'relu6', 'elu', 'sigmoid', 'leakyrelu'].map((a) => [`${a} ${caseName(c)}`, c, a] as const)))(
    'FusedConv2D %s',
    async (_n, c, activation) => {
      const inputs = { x: seededInput(c.x, 1), filter: seededInput(c.filter, 2), bias: seededInput([c.filter[3]], 3) };
      const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, dataFormat: 'NHWC', activation, leakyreluAlpha: 0.1 };
      const [[expected], [actual]] = await cpuAndNative('FusedConv2D', inputs, attrs);
      expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
    },
  );

  // tfjs has no conv2d gradients for dilations > 1, so the cpu reference takes none.
  const backward = [...fixed, ...randomCases(24, 5, false)];
  it.each(backward.map((c) => [caseName(c), c] as const))('Conv2DBackpropInput %s', async (_n, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
    const inputs = { dy: seededInput(info.outShape, 4), filter: seededInput(c.filter, 2) };
    const [[expected], [actual]] = await cpuAndNative('Conv2DBackpropInput', inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', inputShape: c.x });
    expect(actual!.shape).toEqual(c.x);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it.each(backward.map((c) => [caseName(c), c] as const))('Conv2DBackpropFilter %s', async (_n, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
    const inputs = { x: seededInput(c.x, 1), dy: seededInput(info.outShape, 4) };
    const [[expected], [actual]] = await cpuAndNative('Conv2DBackpropFilter', inputs, { strides: c.strides, pad: c.pad, dataFormat: 'NHWC', filterShape: c.filter });
    expect(actual!.shape).toEqual(c.filter);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it('leaves what oneDNN does not fuse (prelu) to the wasm kernel, with the same numbers as the cpu backend', async () => {
    const inputs = { x: seededInput([2, 6, 6, 3], 1), filter: seededInput([3, 3, 3, 4], 2), bias: seededInput([4], 3), preluActivationWeights: seededInput([4], 5) };
    const attrs = { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC', activation: 'prelu' };
    const [[expected], [actual]] = await cpuAndNative('FusedConv2D', inputs, attrs);
    expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
  });

  it('keeps each constant filter in its own reordered copy: two filters of one shape, alternating, give the cpu backend’s numbers', async () => {
    const attrs = { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC', activation: 'relu', constantFilter: true };
    const x = seededInput([2, 8, 8, 16], 1);
    const filters = [seededInput([3, 3, 16, 16], 2), seededInput([3, 3, 16, 16], 3)];
    const expected = [];
    for (const filter of filters) expected.push((await runKernelOn('cpu', 'FusedConv2D', { x, filter }, attrs))[0]!.values);
    await tf.setBackend('wasm');
    const xs = tf.tensor(x.values, x.shape);
    const fs = filters.map((f) => tf.tensor(f.values, f.shape));
    for (let round = 0; round < 3; round++) {
      for (const [k, filter] of fs.entries()) {
        const y = tf.engine().runKernel('FusedConv2D', { x: xs, filter }, attrs) as tf.Tensor;
        expect(relativeError(y.dataSync(), expected[k]!)).toBeLessThan(1e-5);
        y.dispose();
      }
    }
    tf.dispose([xs, ...fs]);
  });

  it('computes the filter gradient of many channels on a tiny image with a JIT kernel, else as patches and one matrix product', () => {
    const info = tf.backend_util.computeConv2DInfo([4, 2, 2, 512], [3, 3, 512, 64], 1, 1, 'same');
    expect(addon().convImplementation(convParams(info, { kind: CONV_BACKWARD_WEIGHTS }))).toMatch(/^(jit|brg|patches \+ matmul)/); // oneDNN 3's AVX2 kernels are brgemm ones
  });

  it('runs the demo network’s convolutions on oneDNN’s JIT kernels, not a reference loop', () => {
    const info = tf.backend_util.computeConv2DInfo([64, 28, 28, 16], [3, 3, 16, 16], 1, 1, 'same');
    expect(addon().convImplementation(convParams(info, { kind: CONV_FORWARD }))).toMatch(/jit|gemm|brg/);
  });
});
