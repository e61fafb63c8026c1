import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeCase, randomConvCases, randomValues, relativeError, runKernelOn, type ConvCase } from '../../test-support/compare-with-cpu.js';
import { registerWasmTrainingKernels } from './register.js';

const fixed: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 1], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [2, 8, 8, 3], filter: [3, 3, 3, 2], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [1, 9, 11, 2], filter: [3, 3, 2, 3], strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { x: [2, 9, 8, 4], filter: [3, 2, 4, 1], strides: [1, 1], dilations: [3, 1], pad: 'valid' },
  { x: [2, 11, 13, 3], filter: [5, 5, 3, 1], strides: [3, 3], dilations: [1, 1], pad: 'valid' },
];
const cases = [...fixed, ...randomConvCases(14, 13, true)];

/**
 * The cpu backend's depthwise gradient kernels ignore dilations (tfjs never asks for them), so the
 * reference for a dilated filter is the undilated gradient of the filter with zeros between taps.
 */
function spreadFilterShape(c: ConvCase): [number, number, number, number] {
  const [fh, fw, cin, m] = c.filter;
  return [(fh - 1) * c.dilations[0] + 1, (fw - 1) * c.dilations[1] + 1, cin, m];
}

function spreadFilter(values: Float32Array, c: ConvCase): Float32Array {
  const [fh, fw, cin, m] = c.filter;
  const [, sw] = spreadFilterShape(c);
  const out = new Float32Array(tf.util.sizeFromShape(spreadFilterShape(c)));
  const inner = cin * m;
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = (i * fw + j) * inner;
      const to = (i * c.dilations[0] * sw + j * c.dilations[1]) * inner;
      out.set(values.subarray(from, from + inner), to);
    }
  }
  return out;
}

function gatherTaps(spread: Float32Array, c: ConvCase): Float32Array {
  const [fh, fw, cin, m] = c.filter;
  const [, sw] = spreadFilterShape(c);
  const inner = cin * m;
  const out = new Float32Array(tf.util.sizeFromShape(c.filter));
  for (let i = 0; i < fh; i++) {
    for (let j = 0; j < fw; j++) {
      const from = (i * c.dilations[0] * sw + j * c.dilations[1]) * inner;
      out.set(spread.subarray(from, from + inner), (i * fw + j) * inner);
    }
  }
  return out;
}

describe('depthwise convolution gradients on wasm match the cpu backend', () => {
  beforeAll(async () => {
    registerWasmTrainingKernels();
    await tf.setBackend('wasm');
  });

  it.each(cases.map((c) => [describeCase(c), c] as const))('DepthwiseConv2dNativeBackpropInput: %s', async (_name, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, true);
    const dy = { values: randomValues(tf.util.sizeFromShape(info.outShape), 5), shape: info.outShape };
    const filter = randomValues(tf.util.sizeFromShape(c.filter), 6);
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, inputShape: c.x };
    const expected = await runKernelOn(
      'cpu',
      'DepthwiseConv2dNativeBackpropInput',
      { dy, filter: { values: spreadFilter(filter, c), shape: spreadFilterShape(c) } },
      { ...attrs, dilations: [1, 1] },
    );
    const actual = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter: { values: filter, shape: c.filter } }, attrs);
    expect(actual.shape).toEqual(c.x);
    expect(relativeError(actual.values, expected.values)).toBeLessThan(1e-5);
  });

  it.each(cases.map((c) => [describeCase(c), c] as const))('DepthwiseConv2dNativeBackpropFilter: %s', async (_name, c) => {
    const info = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad, undefined, true);
    const inputs = {
      x: { values: randomValues(tf.util.sizeFromShape(c.x), 7), shape: c.x },
      dy: { values: randomValues(tf.util.sizeFromShape(info.outShape), 8), shape: info.outShape },
    };
    const attrs = { strides: c.strides, dilations: c.dilations, pad: c.pad, filterShape: c.filter };
    const spread = await runKernelOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', inputs, {
      ...attrs,
      dilations: [1, 1],
      filterShape: spreadFilterShape(c),
    });
    const actual = await runKernelOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', inputs, attrs);
    expect(actual.shape).toEqual(c.filter);
    expect(relativeError(actual.values, gatherTaps(spread.values, c))).toBeLessThan(1e-5);
  });
});
