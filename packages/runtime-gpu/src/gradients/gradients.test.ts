import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-layers'; // registers tfjs's gradients
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, relativeError } from '../test-support/compare-with-cpu.js';
import { registerWasmTrainingKernels } from '../kernels/wasm/register.js';
import { TRAINING_GRADIENTS } from './register.js';

const shape: [number, number, number, number] = [3, 5, 7, 4];
const size = 3 * 5 * 7 * 4;

/** Gradients of a batch-normalised activation (moments of the batch, scale and offset) on `backend`. */
async function batchNormGradients(backend: string, withScale: boolean): Promise<{ names: string[]; grads: Float32Array[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const x = tf.tensor4d(randomValues(size, 21), shape);
  const scale = tf.tensor1d(randomValues(4, 22));
  const offset = tf.tensor1d(randomValues(4, 23));
  const weight = tf.tensor4d(randomValues(size, 24), shape);
  const normalise = (xs: tf.Tensor, o: tf.Tensor, s?: tf.Tensor) => {
    const { mean, variance } = tf.moments(xs, [0, 1, 2]);
    const y = tf.batchNorm(xs, mean, variance, o as tf.Tensor1D, s as tf.Tensor1D | undefined, 1e-3);
    return tf.sum(tf.mul(y, weight));
  };
  let grads: tf.Tensor[] = [];
  const run = () => {
    grads = withScale
      ? tf.grads((xs: tf.Tensor, o: tf.Tensor, s: tf.Tensor) => normalise(xs, o, s))([x, offset, scale])
      : tf.grads((xs: tf.Tensor, o: tf.Tensor) => normalise(xs, o))([x, offset]);
  };
  // Which kernels ran (the profiler only on wasm: the cpu backend's profiler trips on tf.grads).
  const kernels = backend === 'wasm' ? (await tf.profile(run)).kernelNames : (run(), []);
  const out = {
    names: ['x', 'offset', 'scale'].slice(0, grads.length),
    grads: await Promise.all(grads.map(async (g) => (await g.data()) as Float32Array)),
    kernels,
  };
  tf.dispose([x, scale, offset, weight, ...grads]);
  return out;
}

describe('training gradients', () => {
  beforeAll(() => registerWasmTrainingKernels());

  it('are registered in place of tfjs\'s', () => {
    for (const config of TRAINING_GRADIENTS) expect(tf.getGradient(config.kernelName)).toBe(config);
  });

  it.each(['cpu', 'wasm'])('Mean and Sum gradients broadcast dy (÷ n for Mean) on %s', async (backend) => {
    await tf.setBackend(backend);
    const x = tf.tensor3d(randomValues(2 * 3 * 4, 5), [2, 3, 4]);
    const dy = tf.tensor2d(randomValues(2 * 4, 6), [2, 4]);
    const [dMean] = tf.grads((v: tf.Tensor) => tf.mean(v, 1))([x], dy);
    const [dSum] = tf.grads((v: tf.Tensor) => tf.sum(v, 1))([x], dy);
    const expected = tf.tile(tf.reshape(dy, [2, 1, 4]), [1, 3, 1]);
    expect(Array.from(await dSum!.data())).toEqual(Array.from(await expected.data()));
    expect(relativeError((await dMean!.data()) as Float32Array, (await tf.div(expected, 3).data()) as Float32Array)).toBeLessThan(1e-7);
    tf.dispose([x, dy, dMean!, dSum!, expected]);
  });

  // (tfjs cannot differentiate batchNorm without a scale on any backend: it saves the absent input.)
  it.each([true])('FusedBatchNorm through FrugalBatchNormGrad on wasm matches tfjs\'s gradient on cpu (scale: %s)', async (withScale) => {
    const expected = await batchNormGradients('cpu', withScale);
    const actual = await batchNormGradients('wasm', withScale);
    expect(actual.kernels).toContain('FrugalBatchNormGrad');
    expect(actual.grads.length).toBe(withScale ? 3 : 2);
    actual.grads.forEach((g, i) => expect(relativeError(g, expected.grads[i]!)).toBeLessThan(1e-5));
  });

  it('Identity on wasm shares the data and keeps string tensors working', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const y = tf.clone(x);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3]);
    const s = tf.clone(tf.tensor1d(['a', 'b'], 'string'));
    expect(await s.data()).toEqual(['a', 'b']);
    tf.dispose([y, s]);
  });
});
