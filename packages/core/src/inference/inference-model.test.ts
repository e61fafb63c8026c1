import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { initializers, layers, model as functionalModel, type LayersModel, type SymbolicTensor } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { InferenceModel, withInferenceModel } from './inference-model.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

let seed = 1;
const random = (): ReturnType<typeof initializers.randomNormal> => initializers.randomNormal({ mean: 0, stddev: 0.3, seed: seed++ });
const positive = (): ReturnType<typeof initializers.randomUniform> => initializers.randomUniform({ minval: 0.5, maxval: 2, seed: seed++ });

/** Batch norm with statistics and affine weights far from the identity, so folding matters. */
function batchNorm(x: SymbolicTensor, options: { center?: boolean; scale?: boolean } = {}): SymbolicTensor {
  return layers
    .batchNormalization({
      axis: -1,
      epsilon: 1e-3,
      ...options,
      gammaInitializer: positive(),
      betaInitializer: random(),
      movingMeanInitializer: random(),
      movingVarianceInitializer: positive(),
    })
    .apply(x) as SymbolicTensor;
}

function conv(x: SymbolicTensor, filters: number, o: { kernel?: number; strides?: number; padding?: 'same' | 'valid'; bias?: boolean; activation?: 'relu' | 'tanh'; dilation?: number } = {}): SymbolicTensor {
  return layers
    .conv2d({
      filters,
      kernelSize: o.kernel ?? 3,
      strides: o.strides ?? 1,
      padding: o.padding ?? 'same',
      useBias: o.bias ?? false,
      activation: o.activation,
      dilationRate: o.dilation ?? 1,
      kernelInitializer: random(),
      biasInitializer: random(),
    })
    .apply(x) as SymbolicTensor;
}

/** Every foldable pattern and every reason not to fold, in one small residual network. */
function network(): LayersModel {
  const input = layers.input({ shape: [9, 9, 3] });
  // zero padding → valid conv → BN → ReLU: one convolution
  let x = layers.zeroPadding2d({ padding: [[1, 2], [2, 1]] }).apply(input) as SymbolicTensor;
  x = layers.reLU().apply(batchNorm(conv(x, 8, { padding: 'valid' }))) as SymbolicTensor;
  // a residual block: conv → BN (no scale) → ReLU activation layer, conv with bias → BN, add, ReLU
  let y = layers.activation({ activation: 'relu' }).apply(batchNorm(conv(x, 8), { scale: false })) as SymbolicTensor;
  y = batchNorm(conv(y, 8, { bias: true, dilation: 2 }), { center: false });
  x = layers.reLU().apply(layers.add().apply([x, y]) as SymbolicTensor) as SymbolicTensor;
  // a strided 'same' conv whose output also feeds a second branch: BN is not folded into it
  const strided = conv(x, 12, { strides: 2 });
  const branch = conv(strided, 12, { kernel: 1, activation: 'relu', bias: true });
  x = layers.concatenate().apply([batchNorm(strided), branch]) as SymbolicTensor;
  // a conv with another activation stays as it is, and so does the padding before it
  x = layers.zeroPadding2d({ padding: 1 }).apply(x) as SymbolicTensor;
  x = conv(x, 6, { padding: 'valid', activation: 'tanh' });
  x = layers.globalAveragePooling2d({}).apply(x) as SymbolicTensor;
  const logits = layers.dense({ units: 5, kernelInitializer: random() }).apply(x) as SymbolicTensor;
  return functionalModel({ inputs: input, outputs: logits });
}

function maxRelativeError(a: tf.Tensor, b: tf.Tensor): number {
  const [x, y] = [a.dataSync(), b.dataSync()];
  const scale = Math.max(...Array.from(y, Math.abs));
  return Math.max(...Array.from(x, (v, i) => Math.abs(v - (y[i] as number)))) / scale;
}

describe('InferenceModel', () => {
  it("gives model.predict's outputs with batch norm, padding and ReLU folded into the convolutions", () => {
    const model = network();
    const x = tf.randomNormal([4, 9, 9, 3], 0, 1, 'float32', 7);
    withInferenceModel(model, (inference) => {
      // pad+conv+BN+ReLU, conv+BN+ReLU, conv+BN+add+ReLU, the strided conv alone, the 1×1 conv with
      // ReLU; left as they are: the strided conv's BN, the concatenation, the padding and conv with
      // tanh, the pooling and the dense layer
      expect(inference.summary).toEqual({ fusedConvolutions: 5, residualSums: 1, layers: 6 });
      const expected = model.predict(x) as tf.Tensor;
      const actual = inference.predict(x) as tf.Tensor;
      expect(actual.shape).toEqual([4, 5]);
      expect(maxRelativeError(actual, expected)).toBeLessThan(1e-5);
      tf.dispose([expected, actual]);
    });
    tf.dispose(x);
    model.dispose();
  });

  it('leaves no tensor behind but its output, and none at all once disposed', () => {
    const model = network();
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const inference = new InferenceModel(model);
    const afterMaking = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(inference.predict(x));
    expect(tf.memory().numTensors).toBe(afterMaking);
    inference.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => inference.predict(x)).toThrow(/disposed/);
    tf.dispose(x);
    model.dispose();
  });

  it('folds the weights as they are when it is made; a new one sees new weights', () => {
    const model = network();
    const x = tf.randomNormal([2, 9, 9, 3], 0, 1, 'float32', 5);
    const before = new InferenceModel(model);
    const first = before.predict(x) as tf.Tensor;
    const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization')!;
    const weights = bn.getWeights();
    bn.setWeights(weights.map((w) => tf.mul(w, 1.5)));
    const stale = before.predict(x) as tf.Tensor;
    expect(Array.from(stale.dataSync())).toEqual(Array.from(first.dataSync()));
    withInferenceModel(model, (after) => {
      const fresh = after.predict(x) as tf.Tensor;
      const expected = model.predict(x) as tf.Tensor;
      expect(maxRelativeError(fresh, expected)).toBeLessThan(1e-5);
      expect(maxRelativeError(fresh, first)).toBeGreaterThan(1e-3);
      tf.dispose([fresh, expected]);
    });
    before.dispose();
    tf.dispose([x, first, stale]);
    model.dispose();
  });

  it("hands an input of the wrong shape to model.predict, whose error names it", () => {
    const model = network();
    const x = tf.zeros([1, 8, 8, 3]);
    withInferenceModel(model, (inference) => {
      expect(() => inference.predict(x)).toThrow(/shape/);
    });
    tf.dispose(x);
    model.dispose();
  });
});
