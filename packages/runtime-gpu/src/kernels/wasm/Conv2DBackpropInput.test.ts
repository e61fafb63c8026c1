import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCase, randomConvCases, randomValues, relativeError, runKernelOn, type ConvCase } from '../../test-support/compare-with-cpu.js';
import { registerWasmTrainingKernels } from './register.js';

const fixed: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 5], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [3, 8, 8, 4], filter: [3, 3, 4, 2], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: [2, 11, 13, 3], filter: [5, 5, 3, 2], strides: [3, 3], dilations: [1, 1], pad: 'same' },
  { x: [2, 5, 7, 3], filter: [1, 1, 3, 6], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [3, 2, 2, 2], strides: [1, 2], dilations: [1, 1], pad: [[0, 0], [2, 1], [0, 1], [0, 0]] },
  { x: [1, 4, 4, 2], filter: [5, 5, 2, 3], strides: [1, 1], dilations: [1, 1], pad: 'same' },
];
const cases = [...fixed, ...randomConvCases(16, 12, false)];

async function compare(c: ConvCase, dataFormat: 'NHWC' | 'NCHW'): Promise<void> {
  const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, 1, c.pad);
  const toFormat = (s: number[]) => (dataFormat === 'NCHW' ? [s[0], s[3], s[1], s[2]] : s) as number[];
  const inputs = {
    dy: { values: randomValues(tf.util.sizeFromShape(info.outShape), 3), shape: toFormat(info.outShape) },
    filter: { values: randomValues(tf.util.sizeFromShape(c.filter), 4), shape: c.filter },
  };
  const attrs = { strides: c.strides, pad: c.pad, dataFormat, inputShape: toFormat(c.x) };
  const expected = await runKernelOn('cpu', 'Conv2DBackpropInput', inputs, attrs);
  const actual = await runKernelOn('wasm', 'Conv2DBackpropInput', inputs, attrs);
  expect(actual.shape).toEqual(toFormat(c.x));
  expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
}

describe('Conv2DBackpropInput on wasm matches the cpu backend', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });

  it.each(cases.map((c) => [describeCase(c), c] as const))('%s', async (_name, c) => {
    await compare(c, 'NHWC');
  });

  it.each(cases.slice(0, 4).map((c) => [describeCase(c), c] as const))('NCHW: %s', async (_name, c) => {
    await compare(c, 'NCHW');
  });
});
