import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { cpuAndNative, randomValues, relativeError, runKernelOn, useNative, expectSameBits } from '../test-support/compare.js';
import { BATCH_NORM_GRAD } from './BatchNormGrad.js';
import { addon } from '../addon.js';
import { parallelAbove, waitPolicy } from '../wait-policy.js';
import { BATCH_NORM_TRAIN } from './BatchNormTrain.js';
import { BATCH_NORM_TRAIN_GRAD } from './BatchNormTrainGrad.js';

const values = (shape: number[], seed: number, shift = 0) => ({ values: randomValues(shape.reduce((a, b) => a * b, 1), seed).map((v) => v + shift), shape });
// [72, 32, 32, 16] (1.2M values) is above the size from which the loops take every thread, whichever the wait policy.
const shapes = [[2, 5, 5, 3], [64, 28, 28, 16], [72, 32, 32, 16], [7, 1, 1, 10], [3, 11], [1, 1]];

/** The five gradients of batch normalisation in float64, from their definitions. */
function reference(x: Float32Array, dy: Float32Array, mean: Float32Array, variance: Float32Array, scale: Float32Array, eps: number) {
  const c = mean.length;
  const dx = new Float64Array(x.length);
  const sums = { dy: new Float64Array(c), dyXc: new Float64Array(c) };
  for (let i = 0; i < x.length; i++) {
    const k = i % c;
    const r = 1 / Math.sqrt(variance[k]! + eps);
    dx[i] = dy[i]! * r * scale[k]!;
    sums.dy[k]! += dy[i]!;
    sums.dyXc[k]! += dy[i]! * (x[i]! - mean[k]!);
  }
  const r = (k: number) => 1 / Math.sqrt(variance[k]! + eps);
  return [
    dx,
    Float64Array.from({ length: c }, (_, k) => -r(k) * scale[k]! * sums.dy[k]!),
    Float64Array.from({ length: c }, (_, k) => -0.5 * r(k) ** 3 * scale[k]! * sums.dyXc[k]!),
    Float64Array.from({ length: c }, (_, k) => r(k) * sums.dyXc[k]!),
    sums.dy,
  ];
}

describe('batch normalisation on the addon', () => {
  beforeAll(() => useNative());

  it.each(shapes.map((s) => [s.join('×'), s] as const))('FusedBatchNorm %s matches the cpu backend, with and without offset and scale', async (_n, shape) => {
    const c = shape.at(-1)!;
    for (const withAffine of [true, false]) {
      const inputs = {
        x: values(shape, 1),
        mean: values([c], 2),
        variance: values([c], 3, 1.5),
        ...(withAffine ? { offset: values([c], 4), scale: values([c], 5) } : {}),
      };
      const [[expected], [actual]] = await cpuAndNative('FusedBatchNorm', inputs, { varianceEpsilon: 1e-3 });
      expect(relativeError(actual!.values, expected!.values)).toBeLessThan(1e-5);
    }
  });

  it.each(shapes.map((s) => [s.join('×'), s] as const))('%s: FrugalBatchNormGrad gives the five gradients (float64 reference)', async (_n, shape) => {
    const c = shape.at(-1)!;
    const inputs = { x: values(shape, 1), dy: values(shape, 6), mean: values([c], 2), variance: values([c], 3, 1.5), scale: values([c], 5) };
    const actual = await runKernelOn('wasm', BATCH_NORM_GRAD, inputs, { varianceEpsilon: 1e-3 });
    const expected = reference(inputs.x.values, inputs.dy.values, inputs.mean.values, inputs.variance.values, inputs.scale.values, 1e-3);
    expect(actual.map((a) => a.shape)).toEqual([shape, [c], [c], [c], [c]]);
    actual.forEach((a, i) => expect(relativeError(a.values, expected[i]!), `output ${i}`).toBeLessThan(1e-5));
  });

  it.each(shapes.map((s) => [s.join('×'), s] as const))('%s: FrugalBatchNormTrainGrad gives the gradients by batch statistics (float64 reference)', async (_n, shape) => {
    const c = shape.at(-1)!;
    const rows = shape.reduce((a, b) => a * b, 1) / c;
    const inputs = { x: values(shape, 1), dy: values(shape, 6), mean: values([c], 2), variance: values([c], 3, 1.5), scale: values([c], 5) };
    const [dx, dScale, dOffset] = await runKernelOn('wasm', BATCH_NORM_TRAIN_GRAD, inputs, { varianceEpsilon: 1e-3 });
    const { x, dy, mean, variance, scale } = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.values])) as Record<string, Float32Array>;
    const sumDy = new Float64Array(c);
    const sumDyXc = new Float64Array(c);
    x!.forEach((v, i) => {
      sumDy[i % c]! += dy![i]!;
      sumDyXc[i % c]! += dy![i]! * (v - mean![i % c]!);
    });
    const r = (k: number) => 1 / Math.sqrt(variance![k]! + 1e-3);
    const expectedDx = Float64Array.from(x!, (v, i) => {
      const k = i % c;
      return scale![k]! * r(k) * (dy![i]! - sumDy[k]! / rows - (v - mean![k]!) * r(k) ** 2 * (sumDyXc[k]! / rows));
    });
    expect(relativeError(dx!.values, expectedDx)).toBeLessThan(1e-5);
    expect(relativeError(dScale!.values, Float64Array.from(sumDyXc, (s, k) => r(k) * s))).toBeLessThan(1e-5);
    expect(relativeError(dOffset!.values, sumDy)).toBeLessThan(1e-5);
  });

  it.each(shapes.map((s) => [s.join('×'), s] as const))(
    '%s: FrugalBatchNormTrain gives y, mean and variance of tf.moments and tf.batchNorm on the cpu backend, and their bits on the native kernels',
    async (_n, shape) => {
      const c = shape.at(-1)!;
      const inputs = { x: values(shape, 1, 0.5), scale: values([c], 5), offset: values([c], 4) };
      const viaOps = async (backend: string) => {
        await tf.setBackend(backend);
        const outs = tf.tidy(() => {
          const [x, scale, offset] = [inputs.x, inputs.scale, inputs.offset].map((v) => tf.tensor(v.values, v.shape));
          const { mean, variance } = tf.moments(x!, [...Array(shape.length - 1).keys()]);
          return [tf.batchNorm(x!, mean, variance, offset, scale, 1e-3), mean, variance];
        });
        const data = await Promise.all(outs.map((t) => t.data()));
        tf.dispose(outs);
        return data.map((d) => Float32Array.from(d));
      };
      const expected = await viaOps('cpu');
      const sameKernels = await viaOps('wasm');
      const actual = await runKernelOn('wasm', BATCH_NORM_TRAIN, inputs, { varianceEpsilon: 1e-3 });
      expect(actual.map((a) => a.shape)).toEqual([shape, [c], [c]]);
      actual.forEach((a, i) => {
        expect(relativeError(a.values, expected[i]!), `output ${i} against the cpu backend`).toBeLessThan(1e-5);
        expectSameBits(a.values, sameKernels[i]!, `output ${i} against the native Mean, Sub, Square and FusedBatchNorm`);
      });
    },
  );

  it('FrugalBatchNormTrain refuses what it cannot normalise with a message naming the shape', async () => {
    const inputs = { x: values([2, 3], 1), scale: values([4], 5) };
    await expect(runKernelOn('wasm', BATCH_NORM_TRAIN, inputs, { varianceEpsilon: 1e-3 })).rejects.toThrow(/FrugalBatchNormTrain.*\[2, 3\]/);
  });

  it('gives the same bits whether its loops run on one thread or on every thread (the wait policy changes no number)', async () => {
    const shape = [16, 8, 8, 16];
    const inputs = { x: values(shape, 1), dy: values(shape, 6), mean: values([16], 2), variance: values([16], 3, 1.5), scale: values([16], 5) };
    const run = async () => [
      ...(await runKernelOn('wasm', BATCH_NORM_GRAD, inputs, { varianceEpsilon: 1e-3 })),
      ...(await runKernelOn('wasm', BATCH_NORM_TRAIN, { x: inputs.x, scale: inputs.scale }, { varianceEpsilon: 1e-3 })),
      ...(await runKernelOn('wasm', 'Mean', { x: inputs.x }, { axis: [0, 1, 2], keepDims: false })),
    ];
    try {
      addon().setParallelAbove(2 ** 30);
      const oneThread = await run();
      addon().setParallelAbove(0);
      const everyThread = await run();
      everyThread.forEach((t, i) => expectSameBits(t.values, oneThread[i]!.values, `output ${i}`));
    } finally {
      addon().setParallelAbove(parallelAbove(waitPolicy() ?? 'spin'));
    }
  });

  it('gives the same gradients on 1 and 2 threads up to float rounding, and the same bits twice on one count', async () => {
    const shape = [72, 32, 32, 16];
    const inputs = { x: values(shape, 1), dy: values(shape, 6), mean: values([16], 2), variance: values([16], 3, 1.5), scale: values([16], 5) };
    const a = await runKernelOn('wasm', BATCH_NORM_GRAD, inputs, { varianceEpsilon: 1e-3 });
    const b = await runKernelOn('wasm', BATCH_NORM_GRAD, inputs, { varianceEpsilon: 1e-3 });
    expect(b.map((t) => Array.from(t.values))).toEqual(a.map((t) => Array.from(t.values)));
    await useNative(1);
    const one = await runKernelOn('wasm', BATCH_NORM_GRAD, inputs, { varianceEpsilon: 1e-3 });
    await useNative(2);
    one.forEach((t, i) => expect(relativeError(t.values, a[i]!.values)).toBeLessThan(1e-6));
    expect(tf.getBackend()).toBe('wasm');
  });
});
