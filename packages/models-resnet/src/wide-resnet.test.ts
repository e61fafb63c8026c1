import { createFrugal } from '@frugal/core';
import { useBackend } from '@frugal/runtime-gpu';
import { countParams } from '@frugal/torch-compat';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { resnet } from './plugin.js';
import { WIDE_RESNET_VARIANTS } from './wide-resnet.js';

const frugal = createFrugal({ plugins: [resnet()], seed: 3 });

beforeAll(async () => {
  await useBackend('wasm');
});

/**
 * Parameter counts of the reference implementations: FixMatch's / USB's PyTorch WideResNet
 * (`sum(p.numel() for p in model.parameters())`) and torchvision's wide_resnet50_2/101_2, computed
 * with Debian's PyTorch 1.13 / torchvision 0.14.
 */
const REFERENCE: [name: keyof typeof WIDE_RESNET_VARIANTS, classes: number, inputSide: number, params: number][] = [
  ['wrn-28-2', 10, 8, 1_467_610],
  ['wrn-28-8', 100, 8, 23_401_012],
  ['wide_resnet50_2', 1000, 32, 68_883_240],
];

describe('Wide ResNets', () => {
  it('are registered by the resnet plugin, one per row of their table', () => {
    for (const name of Object.keys(WIDE_RESNET_VARIANTS)) expect(frugal.models.get(name).plugin).toBe('@frugal/models-resnet');
  });

  it.each(REFERENCE)('%s with %i classes has as many parameters as the reference and gives logits', (name, classes, side, params) => {
    const built = frugal.models.create(name, { numClasses: classes, inputShape: [side, side, 3] });
    try {
      expect(countParams(built.model)).toBe(params);
      const logits = tf.tidy(() => (built.model.predict(tf.randomUniform([2, side, side, 3], 0, 1, 'float32', 1)) as tf.Tensor).arraySync() as number[][]);
      expect(logits.map((row) => row.length)).toEqual([classes, classes]);
      expect(logits.flat().every(Number.isFinite)).toBe(true);
      expect(built.model.getLayer('features').outputShape).toEqual([null, built.featureDim]);
    } finally {
      built.model.dispose();
    }
  });

  it('uses leaky ReLU 0.1 and BatchNorm momentum 0.001 in the CIFAR layout, as FixMatch does', () => {
    const built = frugal.models.create('wrn-28-2', { numClasses: 10, inputShape: [8, 8, 3] });
    const config = built.model.getLayer('block1_layer_0_relu1').getConfig();
    expect(config['alpha']).toBeCloseTo(0.1);
    expect(built.model.getLayer('block1_layer_0_bn1').getConfig()['momentum']).toBeCloseTo(0.999);
    // The first block's shortcut reads the activated input (activate_before_residual).
    expect(built.model.getLayer('block1_layer_0_convShortcut').inboundNodes[0]!.inboundLayers[0]!.name).toBe('block1_layer_0_relu1');
    expect(built.model.getLayer('block2_layer_0_convShortcut').inboundNodes[0]!.inboundLayers[0]!.name).toBe('block1_layer_3_add');
    built.model.dispose();
  });

  it("takes a BatchNorm momentum for short runs, in PyTorch's terms, in both layouts", () => {
    const cifar = frugal.models.create('wrn-28-2', { numClasses: 10, inputShape: [8, 8, 3], batchNormMomentum: 0.05 });
    for (const layer of ['block1_layer_0_bn1', 'block3_layer_3_bn2', 'bn1']) expect(cifar.model.getLayer(layer).getConfig()['momentum']).toBeCloseTo(0.95);
    cifar.model.dispose();
    const wide = frugal.models.create('wide_resnet50_2', { numClasses: 10, inputShape: [32, 32, 3], batchNormMomentum: 0.01 });
    for (const layer of ['bn1', 'layer1_0_bn3', 'layer2_0_downsample_1']) expect(wide.model.getLayer(layer).getConfig()['momentum']).toBeCloseTo(0.99);
    wide.model.dispose();
  });

  it('refuses parameters that do not apply to a layout, naming them', () => {
    expect(() => frugal.models.create('wrn-28-2', { numClasses: 10, inputShape: [8, 8, 3], weights: 'w.safetensors' })).toThrow(
      'model "wrn-28-2": weights: the CIFAR Wide ResNets have no torchvision weights to import',
    );
    expect(() => frugal.models.create('wide_resnet50_2', { numClasses: 10, inputShape: [32, 32, 3], dropRate: 0.3 })).toThrow(
      'model "wide_resnet50_2": dropRate applies to the CIFAR layout\'s blocks',
    );
  });
});
