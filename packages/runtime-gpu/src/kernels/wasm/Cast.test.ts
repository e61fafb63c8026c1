import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { castConfig } from './Cast.js';
import { registerWasmTrainingKernels } from './register.js';

const casts: [tf.DataType, tf.DataType][] = [
  ['float32', 'float32'],
  ['int32', 'int32'],
  ['bool', 'bool'],
  ['float32', 'int32'],
  ['int32', 'float32'],
  ['bool', 'float32'],
];

async function castOn(backend: string, from: tf.DataType, to: tf.DataType) {
  await tf.setBackend(backend);
  const x = tf.tensor([-2.7, -1, 0, 0.4, 1.5, 3], [2, 3], from);
  const y = tf.cast(x, to);
  const out = { dtype: y.dtype, shape: y.shape, values: Array.from(await y.data()) };
  tf.dispose([x, y]);
  return out;
}

describe('Cast on wasm', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it('is the registered wasm Cast', () => expect(tf.getKernel('Cast', 'wasm')).toBe(castConfig));

  it.each(casts)('%s → %s matches the cpu backend', async (from, to) => {
    expect(await castOn('wasm', from, to)).toEqual(await castOn('cpu', from, to));
  });

  it('shares the data of a cast to the same dtype, and frees it with the last reference', async () => {
    await tf.setBackend('wasm');
    const buffers = () => tf.engine().backend.numDataIds();
    const before = buffers();
    const x = tf.tensor([1, 2, 3, 4]);
    const y = tf.cast(x, 'float32');
    expect(buffers() - before).toBe(1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    y.dispose();
    expect(buffers()).toBe(before);
  });
});
