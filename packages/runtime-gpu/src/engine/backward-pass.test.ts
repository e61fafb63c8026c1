import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { registerTrainingGradients } from '../gradients/register.js';
import { freeBackwardPassEarly, restoreBackwardPass } from './backward-pass.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => restoreBackwardPass());

/** A straight-through rounding: its gradient hands back its own dy. */
const roundThrough = tf.customGrad((x) => ({ value: tf.round(x as tf.Tensor), gradFunc: (dy) => dy as tf.Tensor }));
/** One tensor for both inputs' gradients. */
const sharedGradient = tf.customGrad((a, b) => ({ value: tf.add(a as tf.Tensor, b as tf.Tensor), gradFunc: (dy) => [dy as tf.Tensor, dy as tf.Tensor] }));

/** A residual block's worth of kernels (convolutions, batch statistics, ReLU, a residual sum, a shared and a passed-through gradient). */
function loss(x: tf.Tensor4D, w1: tf.Tensor4D, w2: tf.Tensor4D): tf.Scalar {
  const y = tf.relu(tf.conv2d(x, w1, 1, 'same'));
  const { mean, variance } = tf.moments(y, [0, 1, 2]);
  const normalised = tf.div(tf.sub(y, mean), tf.sqrt(tf.add(variance, 1e-5))) as tf.Tensor4D;
  const z = tf.add(tf.conv2d(normalised, w2, 1, 'same'), y);
  const r = sharedGradient(roundThrough(tf.mul(z, 4)), z);
  return tf.add(tf.sum(tf.square(tf.relu(r as tf.Tensor))), tf.sum(tf.mul(y, y)));
}

function inputs() {
  const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const w1 = tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', 2)) as tf.Variable<tf.Rank.R4>;
  const w2 = tf.variable(tf.randomNormal([3, 3, 8, 8], 0, 0.3, 'float32', 3)) as tf.Variable<tf.Rank.R4>;
  return { x, w1, w2 };
}

/** The gradients to the bit, the bytes held at most while taking them, and the tensors left after. */
async function step(): Promise<{ value: number; grads: number[][]; peakBytes: number; tensors: number }> {
  const { x, w1, w2 } = inputs();
  const before = tf.memory().numTensors;
  let result: { value: tf.Scalar; grads: tf.NamedTensorMap } | undefined;
  const info = await tf.profile(() => {
    result = tf.variableGrads(() => loss(x, w1, w2), [w1, w2]);
  });
  const { value, grads } = result!;
  const out = { value: value.dataSync()[0], grads: Object.values(grads).map((g) => Array.from(g.dataSync())), peakBytes: info.peakBytes };
  tf.dispose([value, ...Object.values(grads)]);
  const tensors = tf.memory().numTensors - before;
  tf.dispose([x, w1, w2]);
  return { ...out, tensors };
}

describe('the backward pass that frees as it goes', () => {
  it('gives the same gradients to the bit, holds fewer bytes at its peak, and leaves nothing behind', async () => {
    const tfjs = await step();
    freeBackwardPassEarly();
    const early = await step();
    expect(early.value).toBe(tfjs.value);
    expect(early.grads).toEqual(tfjs.grads);
    expect(early.grads[0].some((g) => g !== 0)).toBe(true);
    expect(early.peakBytes).toBeLessThan(tfjs.peakBytes * 0.8);
    expect(early.tensors).toBe(0);
    expect(tfjs.tensors).toBe(0);
  });

  it('leaves a given dy to its owner', () => {
    freeBackwardPassEarly();
    const x = tf.tensor1d([1, 2, 3]);
    const dy = tf.tensor1d([1, 10, 100]);
    const { value, grads } = tf.engine().gradients(() => tf.mul(x, x), [x], dy);
    expect(Array.from(grads[0].dataSync())).toEqual([2, 40, 600]);
    expect(dy.isDisposed).toBe(false);
    tf.dispose([x, dy, value, grads[0]]);
  });

  it('leaves gradients of gradients to tfjs’s own pass, with the same numbers', () => {
    const second = () => {
      const x = tf.tensor1d([0.5, -1, 2]);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.grad((u: tf.Tensor) => tf.sum(tf.mul(tf.mul(u, u), u)))(v)))(x);
      const out = Array.from(g.dataSync());
      tf.dispose([x, g]);
      return out;
    };
    const tfjs = second();
    freeBackwardPassEarly();
    const before = tf.memory().numTensors;
    expect(second()).toEqual(tfjs);
    expect(tfjs).toEqual([3, -6, 12]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps tfjs’s errors for a function that does not reach x', () => {
    freeBackwardPassEarly();
    const x = tf.tensor1d([1]);
    expect(() => tf.grad(() => tf.scalar(2))(x)).toThrow(/Cannot compute gradient of y=f\(x\)/);
    x.dispose();
  });

  it('is put back by restoreBackwardPass', () => {
    const tfjs = tf.engine().gradients;
    freeBackwardPassEarly();
    freeBackwardPassEarly();
    expect(tf.engine().gradients).not.toBe(tfjs);
    restoreBackwardPass();
    expect(tf.engine().gradients).toBe(tfjs);
  });

  it('is what training on wasm and native takes (registerTrainingGradients puts it in)', () => {
    const tfjs = tf.engine().gradients;
    registerTrainingGradients();
    expect(tf.engine().gradients).not.toBe(tfjs);
  });
});
