import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lightenSavedTensors, restoreSavedTensors } from './saved-tensors.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => restoreSavedTensors());

/** A small network's gradients (conv, batch statistics, ReLU, a residual sum), how many Identity kernels ran, and the live tensors after. */
async function step(): Promise<{ grads: number[][]; identities: number; tensors: number }> {
  const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w1 = tf.variable(tf.randomNormal([3, 3, 3, 4], 0, 0.3, 'float32', 2)) as tf.Variable<tf.Rank.R4>;
  const w2 = tf.variable(tf.randomNormal([3, 3, 4, 4], 0, 0.3, 'float32', 3)) as tf.Variable<tf.Rank.R4>;
  const before = tf.memory().numTensors;
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
  const info = await tf.profile(() => {
    result = tf.variableGrads(() => {
      const y = tf.relu(tf.conv2d(x, w1, 1, 'same'));
      const { mean, variance } = tf.moments(y, [0, 1, 2]);
      const normalised = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-5))) as tf.Tensor4D;
      const z = tf.add(tf.conv2d(normalised, w2, 1, 'same'), y);
      return tf.sum(tf.square(tf.relu(z)));
    }, [w1, w2]);
  });
  const identities = info.kernels.filter((k) => k.name === 'Identity').length;
  const { value, grads } = result!;
  const out = Object.values(grads).map((g) => Array.from(g.dataSync()));
  tf.dispose([value, ...Object.values(grads)]);
  const tensors = tf.memory().numTensors - before;
  tf.dispose([x, w1, w2]);
  return { grads: out, identities, tensors };
}

describe('tensors saved for the gradient tape', () => {
  it('are new references to the same data: the same gradients to the bit, without the Identity kernels, and nothing left behind', async () => {
    const tfjs = await step();
    lightenSavedTensors();
    const light = await step();
    expect(light.grads).toEqual(tfjs.grads);
    expect(tfjs.identities).toBeGreaterThan(5);
    expect(light.identities).toBeLessThan(tfjs.identities);
    expect(light.tensors).toBe(0);
    expect(tfjs.tensors).toBe(0);
  });

  it('go back to tfjs’s clones once restored', async () => {
    lightenSavedTensors();
    lightenSavedTensors();
    restoreSavedTensors();
    expect((await step()).identities).toBeGreaterThan(5);
  });
});
