import { createFrugal, setStochasticStep, type BuiltModel } from '@frugal/core';
import { countParams } from '@frugal/torch-compat';
import { useBackend } from '@frugal/runtime-gpu';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inception } from './plugin.js';

// Registry-driven: every model the plugin registers is built, run and trained here.
const frugal = createFrugal({ plugins: [inception()], seed: 5 });
const entries = frugal.models.list().map((e) => [e.name, e] as const);

/** torchvision's parameter counts with 1000 classes, without the auxiliary classifiers. */
const TORCHVISION_PARAMS: Record<string, number> = { googlenet: 6_624_904, inception_v3: 23_834_568 };

/** The input side each model is tested at: 32, or the smallest it takes. */
const SIDE: Record<string, number> = { inception_v3: 75 };
const side = (name: string) => SIDE[name] ?? 32;

beforeAll(async () => {
  await useBackend('wasm');
});

describe.each(entries)('%s', (name) => {
  describe('full size', () => {
    let built: BuiltModel;
    beforeAll(() => {
      built = frugal.models.create(name, { numClasses: 1000, inputShape: [side(name), side(name), 3] });
    });
    afterAll(() => built.trainingModel?.dispose());

    it('maps images to logits, with a features layer of featureDim and a head', () => {
      const x = tf.randomUniform([2, side(name), side(name), 3], 0, 1, 'float32', 3);
      const logits = built.model.predict(x) as tf.Tensor;
      expect(logits.shape).toEqual([2, 1000]);
      expect(Array.from(logits.dataSync()).every(Number.isFinite)).toBe(true);
      expect(built.model.getLayer('features').outputShape).toEqual([null, built.featureDim]);
      expect(built.model.getLayer('head').getClassName()).toBe('Dense');
      tf.dispose([x, logits]);
    });

    it('has a training model with the auxiliary logits, which the inference model lacks', () => {
      const training = built.trainingModel!;
      expect(training.outputs.map((o) => o.shape)).toEqual(built.auxLossWeights!.map(() => [null, 1000]).concat([[null, 1000]]));
      expect(built.auxLossWeights!.every((w) => w === 0.3)).toBe(true);
      const inferenceLayers = new Set(built.model.layers.map((l) => l.name));
      const auxLayers = training.layers.filter((l) => !inferenceLayers.has(l.name));
      expect(auxLayers.length).toBeGreaterThan(0);
      expect(auxLayers.every((l) => /^aux/.test(l.name))).toBe(true);
      // The two networks share their layers: the training model's first output is the model's logits.
      const x = tf.randomUniform([1, side(name), side(name), 3], 0, 1, 'float32', 4);
      const [main] = training.predict(x) as tf.Tensor[];
      const logits = built.model.predict(x) as tf.Tensor;
      expect(Array.from(main!.dataSync())).toEqual(Array.from(logits.dataSync()));
      tf.dispose([x, logits, ...(training.predict(x) as tf.Tensor[]), main!]);
    });

    if (TORCHVISION_PARAMS[name]) {
      it(`has as many parameters as torchvision without the auxiliary classifiers (${TORCHVISION_PARAMS[name]})`, () => {
        expect(countParams(built.model)).toBe(TORCHVISION_PARAMS[name]);
      });
    }
  });

  it('lowers the loss (main + weighted auxiliary) in a few training steps on a tiny batch', () => {
    const built = frugal.models.create(name, { numClasses: 3, inputShape: [side(name), side(name), 3] });
    const net = built.trainingModel ?? built.model;
    const x = tf.randomUniform([6, side(name), side(name), 3], 0, 1, 'float32', 11);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3);
    const optimizer = tf.train.adam(1e-3);
    const losses: number[] = [];
    for (let step = 0; step < 6; step++) {
      setStochasticStep(net, step);
      const loss = optimizer.minimize(() => {
        const [main, ...aux] = [net.apply(x, { training: true })].flat() as tf.Tensor[];
        let total = tf.losses.softmaxCrossEntropy(y, main!);
        aux.forEach((a, i) => (total = tf.add(total, tf.mul(tf.losses.softmaxCrossEntropy(y, a), built.auxLossWeights![i]!))));
        return total as tf.Scalar;
      }, true);
      losses.push(loss!.dataSync()[0]!);
      loss!.dispose();
    }
    console.log(`${name}: ${losses.map((l) => l.toFixed(3)).join(' -> ')}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.9);
    optimizer.dispose();
    tf.dispose([x, y]);
    net.dispose();
  });
});
