import { createFrugal, FrugalInputError, setStochasticStep, type BuiltModel } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { loadLayersModel, type LayersModel } from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { countParams, DropPath } from '@frugal/torch-compat';
import { resnet } from './plugin.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const create = (name: string, params: Record<string, unknown> = {}, seed = 1): BuiltModel =>
  createFrugal({ plugins: [resnet()], seed }).models.create(name, { numClasses: 10, inputShape: [8, 8, 3], ...params });

const kernel = (model: LayersModel, layer: string): Float32Array => model.getLayer(layer).getWeights()[0]!.dataSync() as Float32Array;

describe('ResNet layouts', () => {
  it.each([
    ['resnet20', 269_722],
    ['resnet32', 464_154],
    ['resnet44', 658_586],
    ['resnet56', 853_018],
    ['resnet110', 1_727_962],
  ])('%s (CIFAR, option-A shortcuts) has the paper\'s parameter count: %i', (name, params) => {
    const built = create(name);
    expect(countParams(built.model)).toBe(params);
    expect(built.featureDim).toBe(64);
    built.model.dispose();
  });

  it('with projection shortcuts, the CIFAR layout adds 1x1 convolutions where the shape changes', () => {
    const built = create('resnet20', { shortcut: 'projection' });
    expect(built.model.getLayer('layer2_0_downsample_0').getWeights()[0]!.shape).toEqual([1, 1, 16, 32]);
    expect(countParams(built.model)).toBe(269_722 + 16 * 32 + 2 * 32 + 32 * 64 + 2 * 64);
    built.model.dispose();
  });

  it('puts the stride on the 3x3 convolution of bottleneck blocks (torchvision), and on the projection', () => {
    const built = create('resnet50', { widthMultiplier: 0.125 });
    const strides = (layer: string) => (built.model.getLayer(layer).getConfig() as { strides: number[] }).strides;
    expect(strides('layer2_0_conv1')).toEqual([1, 1]);
    expect(strides('layer2_0_conv2')).toEqual([2, 2]);
    expect(strides('layer2_0_downsample_0')).toEqual([2, 2]);
    expect(built.featureDim).toBe(256);
    built.model.dispose();
  });

  it('takes any input size and channel count (28x28x1) in every layout', () => {
    for (const name of ['resnet18', 'resnet20', 'plain20']) {
      const built = create(name, { inputShape: [28, 28, 1], widthMultiplier: 0.25 });
      const logits = tf.tidy(() => (built.model.predict(tf.ones([3, 28, 28, 1])) as tf.Tensor).shape);
      expect(logits).toEqual([3, 10]);
      built.model.dispose();
    }
  });

  it('widthMultiplier scales every layer', () => {
    const built = create('resnet20', { widthMultiplier: 2 });
    expect(built.model.getLayer('conv1').getWeights()[0]!.shape).toEqual([3, 3, 3, 32]);
    expect(built.featureDim).toBe(128);
    built.model.dispose();
  });

  it('plain networks have no shortcuts', () => {
    const built = create('plain20');
    expect(built.model.layers.some((l) => l.getClassName() === 'Add')).toBe(false);
    expect(countParams(built.model)).toBe(269_722);
    built.model.dispose();
  });
});

describe('ResNet options', () => {
  it('zeroInitLastBn zeroes the gamma of each block\'s last BatchNorm only', () => {
    const basic = create('resnet20', { zeroInitLastBn: true });
    expect(Math.max(...basic.model.getLayer('layer1_0_bn2').getWeights()[0]!.dataSync())).toBe(0);
    expect(Math.min(...basic.model.getLayer('layer1_0_bn1').getWeights()[0]!.dataSync())).toBe(1);
    const bottleneck = create('resnet50', { zeroInitLastBn: true, widthMultiplier: 0.125 });
    expect(Math.max(...bottleneck.model.getLayer('layer3_2_bn3').getWeights()[0]!.dataSync())).toBe(0);
    expect(Math.min(...bottleneck.model.getLayer('layer3_2_bn2').getWeights()[0]!.dataSync())).toBe(1);
    basic.model.dispose();
    bottleneck.model.dispose();
  });

  it('stochastic depth: one drop-path per residual block, its rate rising linearly to the last block', () => {
    const built = create('resnet20', { stochasticDepthRate: 0.18 });
    const rates = built.model.layers.filter((l): l is DropPath => l instanceof DropPath).map((l) => l.rate);
    expect(rates).toHaveLength(9);
    rates.forEach((rate, i) => expect(rate).toBeCloseTo((0.18 * (i + 1)) / 9, 10));
    built.model.dispose();
  });

  it('stochastic depth and dropout act only in training, with a new mask per step', () => {
    const built = create('resnet20', { stochasticDepthRate: 0.5, dropout: 0.5 });
    const x = tf.randomUniform([4, 8, 8, 3], 0, 1, 'float32', 2);
    const run = (training: boolean, step: number) =>
      tf.tidy(() => {
        setStochasticStep(built.model, step);
        return Array.from((built.model.apply(x, { training }) as tf.Tensor).dataSync());
      });
    expect(run(false, 0)).toEqual(run(false, 1));
    const trainStep3 = run(true, 3);
    expect(run(true, 3)).toEqual(trainStep3);
    expect(run(true, 4)).not.toEqual(trainStep3);
    expect(built.model.getLayer('dropout').getClassName()).toBe('FrugalSeededDropout');
    x.dispose();
    built.model.dispose();
  });

  it('refuses options a plain network cannot have', () => {
    expect(() => create('plain56', { stochasticDepthRate: 0.1 })).toThrow(
      new FrugalInputError('model "plain56": stochasticDepthRate needs residual branches to drop; plain56 has no shortcuts. Use resnet56 or set it to 0.'),
    );
    expect(() => create('plain20', { zeroInitLastBn: true })).toThrow(/zeroInitLastBn would zero every block's output/);
  });

  it('validates its parameters, naming the field', () => {
    expect(() => create('resnet18', { widthMultiplier: -1 })).toThrow(/widthMultiplier/);
    expect(() => create('resnet18', { dropout: 1 })).toThrow(/dropout/);
    expect(() => create('resnet18', { depth: 3 })).toThrow(/depth/);
  });
});

describe('initialisation', () => {
  it('gives every layer its own seed, and the same seed the same weights', () => {
    const a = create('resnet20');
    expect(Array.from(kernel(a.model, 'layer1_0_conv1'))).not.toEqual(Array.from(kernel(a.model, 'layer1_0_conv2')));
    const b = create('resnet20');
    for (const layer of ['conv1', 'layer3_2_conv2', 'head']) expect(Array.from(kernel(b.model, layer))).toEqual(Array.from(kernel(a.model, layer)));
    const c = create('resnet20', {}, 2);
    expect(Array.from(kernel(c.model, 'conv1'))).not.toEqual(Array.from(kernel(a.model, 'conv1')));
    [a, b, c].forEach((m) => m.model.dispose());
  });
});

describe('serialization', () => {
  it.each([
    ['resnet20', { stochasticDepthRate: 0.2, dropout: 0.3 }],
    ['resnet18', { widthMultiplier: 0.125, inputShape: [9, 9, 3] }],
  ])('%s: save -> load gives the same outputs (custom layers registered)', async (name, params) => {
    const built = create(name, params);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await built.model.save(
      tf.io.withSaveHandler(async (a) => {
        artifacts = a;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    const loaded = await loadLayersModel(tf.io.fromMemory(artifacts!));
    const [, h, w, c] = built.model.inputs[0]!.shape as number[];
    const x = tf.randomUniform([2, h!, w!, c!], 0, 1, 'float32', 4);
    const [p, q] = [loaded.predict(x) as tf.Tensor, built.model.predict(x) as tf.Tensor];
    expect(Array.from(p.dataSync())).toEqual(Array.from(q.dataSync()));
    expect(loaded.layers.map((l) => l.getClassName())).toEqual(built.model.layers.map((l) => l.getClassName()));
    tf.dispose([x, p, q]);
    loaded.dispose();
    built.model.dispose();
  });
});
