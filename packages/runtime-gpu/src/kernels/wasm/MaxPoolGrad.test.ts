import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues } from '../../test-support/compare-with-cpu.js';
import { maxPoolGradConfig } from './MaxPoolGrad.js';
import { registerWasmTrainingKernels } from './register.js';

// [input shape, window, stride, padding]
const cases: [number[], number, number, 'same' | 'valid' | number][] = [
  [[2, 6, 6, 3], 2, 2, 'valid'],
  [[2, 6, 6, 3], 3, 2, 'valid'],
  [[2, 7, 7, 3], 3, 2, 'same'],
  [[2, 6, 6, 3], 3, 1, 'same'],
  [[2, 8, 8, 4], 3, 2, 1], // the ImageNet ResNets' stem
];

async function gradOn(backend: string, shape: number[], window: number, stride: number, pad: 'same' | 'valid' | number) {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomValues(tf.util.sizeFromShape(shape), 3), shape as [number, number, number, number]);
  const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.maxPool(v as tf.Tensor4D, window, stride, pad))))(x);
  const values = Array.from(await g.data());
  tf.dispose([x, g]);
  return values;
}

describe('MaxPoolGrad on wasm matches the cpu backend', () => {
  beforeAll(() => registerWasmTrainingKernels());
  it('is the registered wasm MaxPoolGrad', () => expect(tf.getKernel('MaxPoolGrad', 'wasm')).toBe(maxPoolGradConfig));
  it.each(cases)('%j, window %i, stride %i, padding %s', async (shape, window, stride, pad) => {
    const expected = await gradOn('cpu', shape, window, stride, pad);
    const actual = await gradOn('wasm', shape, window, stride, pad);
    // The same inputs get gradients (overlapping windows may sum in another order: float rounding).
    expect(actual.map((v) => v !== 0)).toEqual(expected.map((v) => v !== 0));
    actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  });
});
