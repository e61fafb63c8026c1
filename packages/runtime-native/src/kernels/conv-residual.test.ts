import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { addon } from '../addon.js';
import { caseName, seededInput, type ConvCase } from '../test-support/conv-case.js';
import { relativeError, runKernelOn, useNative, type Inputs } from '../test-support/compare.js';
import { convParams, CONV_FORWARD } from './conv-params.js';
import { FUSED_CONV_RESIDUAL } from './FusedConv2DResidual.js';


const cases: ConvCase[] = [
  { x: [2, 7, 7, 3], filter: [3, 3, 3, 4], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  { x: [2, 9, 8, 3], filter: [3, 3, 3, 5], strides: [2, 2], dilations: [1, 1], pad: 'same' },
  { x: [3, 8, 8, 4], filter: [1, 1, 4, 6], strides: [2, 2], dilations: [1, 1], pad: 'valid' },
  { x: [2, 6, 7, 2], filter: [3, 2, 2, 2], strides: [1, 2], dilations: [1, 1], pad: [[0, 0], [2, 1], [0, 1], [0, 0]] },
  { x: [2, 9, 9, 3], filter: [3, 3, 3, 4], strides: [1, 1], dilations: [2, 2], pad: 'same' },
  { x: [4, 32, 32, 16], filter: [3, 3, 16, 16], strides: [1, 1], dilations: [1, 1], pad: 'same' },
  // tfjs sizes a numeric padding's width with the height's stride: the composed kernels take it
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: [1, 2], dilations: [1, 1], pad: 1 },
];


/** act(conv + bias + residual) on the cpu backend, from its FusedConv2D, Add and Relu kernels. */
async function expected(inputs: Inputs, attrs: Record<string, unknown>, activation: string): Promise<{ values: Float32Array; shape: number[] }> {
  const { residual, ...conv } = inputs;
  const [y] = await runKernelOn('cpu', 'FusedConv2D', conv, { ...attrs, activation: 'linear' });
  const [sum] = await runKernelOn('cpu', 'Add', { a: y!, b: residual! }, {});
  return activation === 'relu' ? (await runKernelOn('cpu', 'Relu', { x: sum! }, {}))[0]! : sum!;
}

describe(`${FUSED_CONV_RESIDUAL}: act(conv + bias + residual) matches the cpu backend's kernels (relative error < 1e-5)`, () => {
  beforeAll(() => useNative());

  const all = cases.flatMap((c) => ['linear', 'relu'].flatMap((activation) => [true, false].map((bias) => [`${activation} ${bias ? 'bias' : 'no bias'} ${caseName(c)}`, c, activation, bias] as const)));
  it.each(all)('%s', async (_n, c, activation, withBias) => {
    const outShape = tf.backend_util.computeConv2DInfo(c.x, c.filter, c.strides, c.dilations, c.pad).outShape;
    const inputs: Inputs = { x: seededInput(c.x, 1), filter: seededInput(c.filter, 2), residual: seededInput(outShape, 4) };
    if (withBias) inputs.bias = seededInput([c.filter[3]], 3);
    const attrs = { strides: c.strides, pad: c.pad, dilations: c.dilations, dataFormat: 'NHWC' };
    const want = await expected(inputs, attrs, activation);
    const [actual] = await runKernelOn('wasm', FUSED_CONV_RESIDUAL, inputs, { ...attrs, activation });
    expect(actual!.shape).toEqual(want.shape);
    expect(relativeError(actual!.values, want.values)).toBeLessThan(1e-5);
  });

  it('leaves the residual input as it was', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor(seededInput([2, 8, 8, 4], 1).values, [2, 8, 8, 4]);
    const filter = tf.tensor(seededInput([3, 3, 4, 4], 2).values, [3, 3, 4, 4]);
    const residual = tf.tensor(seededInput([2, 8, 8, 4], 3).values, [2, 8, 8, 4]);
    const before = residual.dataSync().slice();
    const y = tf.engine().runKernel(FUSED_CONV_RESIDUAL, { x, filter, residual }, { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC', activation: 'relu' }) as tf.Tensor;
    expect(Array.from(residual.dataSync())).toEqual(Array.from(before));
    expect(Math.min(...Array.from(y.dataSync()))).toBeGreaterThanOrEqual(0);
    tf.dispose([x, filter, residual, y]);
  });

  it('runs on a JIT kernel with the sum post-op', () => {
    const info = tf.backend_util.computeConv2DInfo([32, 32, 32, 16], [3, 3, 16, 16], 1, 1, 'same');
    expect(addon().convImplementation(convParams(info, { kind: CONV_FORWARD, activation: 1, hasResidual: true }))).toMatch(/^(jit|brg)/); // oneDNN 3's AVX2 kernels are brgemm ones
  });

  it('refuses an activation it cannot fuse', async () => {
    const inputs: Inputs = { x: seededInput([1, 4, 4, 2], 1), filter: seededInput([3, 3, 2, 2], 2), residual: seededInput([1, 4, 4, 2], 3) };
    await expect(runKernelOn('wasm', FUSED_CONV_RESIDUAL, inputs, { strides: 1, pad: 'same', dilations: 1, dataFormat: 'NHWC', activation: 'elu' })).rejects.toThrow(/linear or relu/);
  });
});
