import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { intFrom, randomValues, stream, useNative } from '../test-support/compare.js';
import { concatConfig } from './Concat.js';
import { splitVConfig } from './SplitV.js';

/** `f` on fresh tensors of `values` on `backend`: every output's shape and values. */
async function on(backend: string, parts: { values: Float32Array | Int32Array; shape: number[] }[], dtype: 'float32' | 'int32', f: (xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[]) {
  await tf.setBackend(backend);
  const xs = parts.map((p) => tf.tensor(p.values, p.shape, dtype));
  const out = f(xs);
  const outs = Array.isArray(out) ? out : [out];
  const result = await Promise.all(outs.map(async (t) => ({ shape: t.shape, values: Array.from(await t.data()) })));
  tf.dispose([...xs, ...outs]);
  return result;
}

describe('Concat and SplitV on the wasm heap', () => {
  beforeAll(() => useNative());

  it('are the native kernels on the wasm backend', () => {
    expect(tf.getKernel('Concat', 'wasm')?.kernelFunc).toBe(concatConfig.kernelFunc);
    expect(tf.getKernel('SplitV', 'wasm')?.kernelFunc).toBe(splitVConfig.kernelFunc);
  });

  it("join and split random shapes on every axis, float32 and int32, empty pieces included: the cpu backend's values", async () => {
    const int = intFrom(stream(11));
    for (let trial = 0; trial < 40; trial++) {
      const dtype = trial % 2 ? 'int32' : 'float32';
      const shape = Array.from({ length: int(1, 5) }, () => int(1, 5));
      const axis = int(0, shape.length - 1);
      const widths = Array.from({ length: int(1, 4) }, () => int(0, 4));
      const parts = widths.map((w, k) => {
        const partShape = shape.map((d, a) => (a === axis ? w : d));
        const values = randomValues(tf.util.sizeFromShape(partShape), trial * 10 + k);
        return { shape: partShape, values: dtype === 'int32' ? Int32Array.from(values, (v) => Math.round(v * 1000)) : values };
      });
      const negative = trial % 3 === 0 ? axis - shape.length : axis;
      const join = (xs: tf.Tensor[]) => tf.concat(xs, negative);
      expect(await on('wasm', parts, dtype, join), `concat ${shape} axis ${axis} widths ${widths}`).toEqual(await on('cpu', parts, dtype, join));
      if (widths.reduce((a, b) => a + b, 0) === 0) continue;
      const split = (xs: tf.Tensor[]) => tf.split(tf.concat(xs, axis), widths, negative);
      expect(await on('wasm', parts, dtype, split), `split ${shape} axis ${axis} widths ${widths}`).toEqual(await on('cpu', parts, dtype, split));
    }
  });

  it("split into equal pieces, and a concatenation's gradient: the cpu backend's values", async () => {
    const a = { values: randomValues(2 * 5 * 5 * 6, 1), shape: [2, 5, 5, 6] };
    const b = { values: randomValues(2 * 5 * 5 * 10, 2), shape: [2, 5, 5, 10] };
    const equal = (xs: tf.Tensor[]) => tf.split(xs[0]!, 3, 3);
    expect(await on('wasm', [a], 'float32', equal)).toEqual(await on('cpu', [a], 'float32', equal));
    const gradient = (xs: tf.Tensor[]) => tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.sum(tf.mul(tf.concat([p, q], -1), tf.range(1, 17))))(xs);
    expect(await on('wasm', [a, b], 'float32', gradient)).toEqual(await on('cpu', [a, b], 'float32', gradient));
  });
});
