import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, runKernelOn, useNative, expectSameBits } from '../test-support/compare.js';
import { EMA_UPDATE } from './EmaUpdate.js';
import { SGD_UPDATE } from './SgdUpdate.js';

const values = (shape: number[], seed: number) => ({ values: randomValues(tf.util.sizeFromShape(shape), seed), shape });

/** torch.optim.SGD's step as tfjs operations, one kernel each (what @frugal/core runs without the kernel). */
function sgdByOps(v: tf.Tensor, grad: tf.Tensor, buf: tf.Tensor | undefined, a: { lr: number; momentum: number; weightDecay: number; nesterov: boolean }) {
  let g = a.weightDecay > 0 ? tf.add(grad, tf.mul(v, a.weightDecay)) : grad;
  let next: tf.Tensor | undefined;
  if (a.momentum > 0) {
    next = buf ? tf.add(tf.mul(buf, a.momentum), g) : g;
    g = a.nesterov ? tf.add(g, tf.mul(next, a.momentum)) : next;
  }
  return next ? [tf.sub(v, tf.mul(g, a.lr)), next] : [tf.sub(v, tf.mul(g, a.lr))];
}

describe('FrugalSgdUpdate on the addon', () => {
  beforeAll(() => useNative());

  const cases = [
    { lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true, first: false },
    { lr: 0.1, momentum: 0.9, weightDecay: 5e-4, nesterov: true, first: true },
    { lr: 0.03, momentum: 0.9, weightDecay: 0, nesterov: false, first: false },
    { lr: 0.05, momentum: 0, weightDecay: 1e-3, nesterov: false, first: false },
  ];
  // [1100, 1000] is above 2^20 values, where the loop takes every thread whichever the wait policy.
  for (const [shape, which] of [[[3, 3, 16, 32], cases], [[10], cases], [[300, 257], cases], [[1100, 1000], cases.slice(0, 1)]] as [number[], typeof cases][]) {
    it.each(which)(`shape [${shape}] %j: the bits of tfjs's operations on the cpu backend`, async ({ first, ...attrs }) => {
      const inputs = { variable: values(shape, 1), grad: values(shape, 2), ...(first || attrs.momentum === 0 ? {} : { momentumBuffer: values(shape, 3) }) };
      const actual = await runKernelOn('wasm', SGD_UPDATE, inputs, attrs);
      await tf.setBackend('cpu');
      const expected = tf.tidy(() => {
        const [v, g, b] = [inputs.variable, inputs.grad, 'momentumBuffer' in inputs ? inputs.momentumBuffer : undefined].map((t) => (t ? tf.tensor(t.values, t.shape) : undefined));
        return sgdByOps(v!, g!, b, attrs).map((t) => t.dataSync());
      });
      expect(actual.map((a) => a.shape)).toEqual(expected.map(() => shape));
      actual.forEach((a, i) => expectSameBits(a.values, expected[i] as Float32Array, `output ${i}`));
    });
  }

  it('refuses a gradient of another shape with a message naming the shape', async () => {
    await expect(runKernelOn('wasm', SGD_UPDATE, { variable: values([4], 1), grad: values([5], 2) }, { lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false })).rejects.toThrow(
      /FrugalSgdUpdate.*\[4\]/,
    );
  });
});

describe('FrugalEmaUpdate on the addon', () => {
  beforeAll(() => useNative());

  // [1100, 1000] is above 2^20 values, where the loop takes every thread whichever the wait policy.
  for (const shape of [[3, 3, 16, 32], [10], [1100, 1000]]) {
    it.each([0.99, 0.999, 0.5])(`shape [${shape}], decay %s: the bits of @frugal/core's operations on the cpu backend`, async (decay) => {
      const inputs = { shadow: values(shape, 4), value: values(shape, 5) };
      const [actual] = await runKernelOn('wasm', EMA_UPDATE, inputs, { decay });
      await tf.setBackend('cpu');
      const expected = tf.tidy(() => tf.add(tf.mul(tf.tensor(inputs.shadow.values, shape), decay), tf.mul(tf.tensor(inputs.value.values, shape), 1 - decay)).dataSync());
      expect(actual!.shape).toEqual(shape);
      expectSameBits(actual!.values, expected as Float32Array);
    });
  }

  it('refuses a variable of another shape with a message naming both shapes', async () => {
    await expect(runKernelOn('wasm', EMA_UPDATE, { shadow: values([4], 1), value: values([5], 2) }, { decay: 0.9 })).rejects.toThrow(/FrugalEmaUpdate.*\[4\].*\[5\]/);
  });
});
