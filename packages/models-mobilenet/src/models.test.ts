import { createFrugal, InferenceModel } from '@frugal/core';
import { countParams } from '@frugal/torch-compat';
import { createBackendProviders, useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDivisible } from './make-divisible.js';
import { mobilenet } from './plugin.js';

// Registry-driven: every model the plugin registers is built, run and trained here.
const frugal = createFrugal({ plugins: [mobilenet()], seed: 5 });
const names = frugal.models.list().map((e) => e.name);
const native = await createBackendProviders().native.probe();

/** torchvision's parameter counts: torchvision.models.<name>(width_mult=w, num_classes=n). */
const TORCHVISION_PARAMS: Record<string, [width: number, classes: number, params: number][]> = {
  mobilenet_v2: [
    [1, 1000, 3_504_872],
    [1, 10, 2_236_682],
    [0.5, 10, 700_490],
    [0.35, 1000, 1_677_128],
    [1.4, 10, 4_333_706],
  ],
  mobilenet_v3_large: [
    [1, 1000, 5_483_032],
    [0.5, 10, 1_099_986],
    [0.75, 1000, 3_377_576],
  ],
  mobilenet_v3_small: [
    [1, 1000, 2_542_856],
    [0.5, 10, 409_394],
    [0.75, 1000, 1_653_920],
  ],
};
/** Blocks (one depthwise convolution each) and those that keep their shape and add their input. */
const BLOCKS: Record<string, [blocks: number, residuals: number]> = { mobilenet_v2: [17, 10], mobilenet_v3_large: [15, 10], mobilenet_v3_small: [11, 6] };

beforeAll(async () => {
  await useBackend('wasm');
});

it('registers the three torchvision MobileNets', () => {
  expect(names).toEqual(['mobilenet_v2', 'mobilenet_v3_large', 'mobilenet_v3_small']);
});

describe('makeDivisible', () => {
  // [value, torchvision's _make_divisible(value, 8)]
  it.each([
    [11.2, 16],
    [5.6, 8],
    [8.4, 8],
    [33.6, 32],
    [112, 112],
    [4, 8],
    [12, 16],
    [1792, 1792],
    [41.6, 40],
    [20, 24],
  ])('%f -> %i', (v, expected) => {
    expect(makeDivisible(v)).toBe(expected);
  });
});

describe.each(names)('%s', (name) => {
  it.each(TORCHVISION_PARAMS[name]!)("at width %f with %i classes has torchvision's %i parameters", (widthMultiplier, numClasses, params) => {
    const built = frugal.models.create(name, { numClasses, inputShape: [32, 32, 3], widthMultiplier });
    expect(countParams(built.model)).toBe(params);
    built.model.dispose();
  });

  describe('at 32x32', () => {
    let model: LayersModel;
    let featureDim: number;
    beforeAll(() => {
      ({ model, featureDim } = frugal.models.create(name, { numClasses: 10, inputShape: [32, 32, 3] }));
    });
    afterAll(() => model.dispose());

    it('maps images to logits, with a features layer of featureDim and a head', () => {
      const x = tf.randomUniform([2, 32, 32, 3], 0, 1, 'float32', 3);
      const logits = model.predict(x) as tf.Tensor;
      expect(logits.shape).toEqual([2, 10]);
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      expect(model.getLayer('features').outputShape).toEqual([null, featureDim]);
      expect(model.getLayer('head').getClassName()).toBe('Dense');
      const [blocks, residuals] = BLOCKS[name]!;
      expect(model.layers.filter((l) => l.getClassName() === 'DepthwiseConv2D')).toHaveLength(blocks);
      expect(model.layers.filter((l) => l.getClassName() === 'Add')).toHaveLength(residuals);
      tf.dispose([x, logits]);
    });
  });

  it('takes one-channel images of 28x28 (five stride-2 layers end at 1x1)', () => {
    const small = frugal.models.create(name, { numClasses: 10, inputShape: [28, 28, 1], widthMultiplier: 0.5 });
    const x = tf.randomUniform([3, 28, 28, 1]);
    const logits = small.model.predict(x) as tf.Tensor;
    expect(logits.shape).toEqual([3, 10]);
    tf.dispose([x, logits]);
    small.model.dispose();
  });
});

/** One training step's loss: softmax cross-entropy of the model's logits. */
const lossOf = (model: LayersModel, x: tf.Tensor, y: tf.Tensor) => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar;

function train(model: LayersModel, x: tf.Tensor, y: tf.Tensor, steps: number, optimizer: tf.Optimizer): { losses: number[]; counts: number[] } {
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 0; step < steps; step++) {
    const loss = optimizer.minimize(() => lossOf(model, x, y), true)!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  return { losses, counts };
}

/** The loss and every trainable variable's gradient at the current weights. */
function gradients(model: LayersModel, x: tf.Tensor, y: tf.Tensor): { loss: number; grads: Float32Array[] } {
  const { grads, value } = tf.variableGrads(() => lossOf(model, x, y));
  const out = { loss: value.dataSync()[0]!, grads: Object.values(grads).map((g) => g.dataSync() as Float32Array) };
  tf.dispose([value, ...Object.values(grads)]);
  return out;
}

/** ‖a − b‖ / ‖b‖ over all the gradients together. */
function relativeDistance(a: Float32Array[], b: Float32Array[]): number {
  let diff = 0;
  let norm = 0;
  b.forEach((g, k) => g.forEach((v, i) => ((diff += (a[k]![i]! - v) ** 2), (norm += v ** 2))));
  return Math.sqrt(diff / norm);
}

const batch = (side = 32) => ({
  x: tf.randomUniform([12, side, side, 3], 0, 1, 'float32', 11),
  y: tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], 'int32'), 3),
});
const small = (name: string, seed: number, side = 32) =>
  createFrugal({ plugins: [mobilenet()], seed }).models.create(name, { numClasses: 3, inputShape: [side, side, 3], widthMultiplier: 0.5, dropout: 0 });

describe.each(names)('training %s', (name) => {
  it('lowers the loss on a tiny batch, with the live tensor count flat across steps', async () => {
    await useBackend('wasm');
    const built = small(name, 2);
    const { x, y } = batch();
    const { losses, counts } = train(built.model, x, y, 8, tf.train.adam(2e-3));
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    tf.dispose([x, y]);
    built.model.dispose();
  });

  // At 64x64 the last blocks' batch norms see 2x2 pixels of 12 images. With fewer values some
  // channels are nearly constant over the batch and their gradients are rounding noise amplified:
  // at 32x32 float32 PyTorch is 0.3% from float64 PyTorch, and the float32 backends differ by
  // several percent. (At 64x64 the native backend is the closest of the three to float64 PyTorch.)
  it.skipIf(!native.available)(`gives wasm's loss and gradients on the native backend (depthwise convolutions in oneDNN), and trains there${native.available ? '' : ` (skipped: ${native.reason}. ${native.remedy})`}`, async () => {
    await useBackend('wasm');
    const built = small(name, 3, 64);
    const { x, y } = batch(64);
    const onWasm = gradients(built.model, x, y);
    await useBackend('native');
    const onNative = gradients(built.model, x, y);
    expect(Math.abs(onNative.loss - onWasm.loss) / onWasm.loss).toBeLessThan(1e-5);
    expect(relativeDistance(onNative.grads, onWasm.grads)).toBeLessThan(1e-2);
    const { losses, counts } = train(built.model, x, y, 8, tf.train.adam(2e-3));
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.8);
    expect(new Set(counts.slice(1)).size).toBe(1);
    await useBackend('wasm');
    tf.dispose([x, y]);
    built.model.dispose();
  });
});

/**
 * The convolutions folded with what follows them: the stem, the expansions, the projections, the
 * last 1x1 and squeeze-and-excitation's two; the depthwise ones run as they are.
 */
const FOLDED: Record<string, number> = { mobilenet_v2: 1 + 16 + 17 + 1, mobilenet_v3_large: 1 + 14 + 15 + 1 + 2 * 8, mobilenet_v3_small: 1 + 10 + 11 + 1 + 2 * 9 };

describe.each([
  { backend: 'cpu' as const, skip: undefined },
  { backend: 'native' as const, skip: native.available ? undefined : `${native.reason}. ${native.remedy}` },
])('folded inference on $backend', ({ backend, skip }) => {
  it.skipIf(skip !== undefined).each(names)(`%s gives model.predict's logits${skip ? ` (skipped: ${skip})` : ''}`, async (name) => {
    await useBackend(backend);
    const built = createFrugal({ plugins: [mobilenet()], seed: 4 }).models.create(name, { numClasses: 10, inputShape: [32, 32, 3], widthMultiplier: 0.5 });
    built.model.layers
      .filter((l) => l.getClassName() === 'BatchNormalization')
      .forEach((layer, k) => {
        const drawn = layer.getWeights().map((w, i, all) => (i === 0 || i === all.length - 1 ? tf.randomUniform(w.shape, 0.5, 2, 'float32', k * 7 + i) : tf.randomNormal(w.shape, 0, 0.3, 'float32', k * 7 + i)));
        layer.setWeights(drawn);
        tf.dispose(drawn);
      });
    const x = tf.randomNormal([4, 32, 32, 3], 0, 1, 'float32', 3);
    const before = tf.memory().numTensors;
    const inference = new InferenceModel(built.model);
    expect(inference.summary.fusedConvolutions).toBe(FOLDED[name]);
    const expected = built.model.predict(x) as tf.Tensor;
    const actual = inference.predict(x) as tf.Tensor;
    const error = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]! / tf.max(tf.abs(expected)).dataSync()[0]!);
    expect(error).toBeLessThan(1e-5);
    tf.dispose([expected, actual]);
    inference.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    built.model.dispose();
    await useBackend('wasm');
  });
});
