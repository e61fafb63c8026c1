import { Rng } from '@frugal/core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { tinyStagedNet } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { backboneStages } from './backbone-stages.js';
import { replaceHead } from './replace-head.js';

beforeAll(() => useBackend('auto'));

type Sym = tfl.SymbolicTensor;

/** A ResNet-like graph with torchvision's module names. */
function resnetNamed(): tfl.LayersModel {
  const input = tfl.input({ shape: [8, 8, 1] });
  const conv = (x: Sym, name: string) => tfl.layers.conv2d({ name, filters: 2, kernelSize: 3, padding: 'same' }).apply(x) as Sym;
  const bn = (x: Sym, name: string) => tfl.layers.batchNormalization({ name }).apply(x) as Sym;
  let x = bn(conv(input, 'conv1'), 'bn1');
  const a = bn(conv(x, 'layer1_0_conv1'), 'layer1_0_bn1');
  x = tfl.layers.add({ name: 'layer1_0_add' }).apply([a, x]) as Sym;
  x = bn(conv(x, 'layer2_0_conv1'), 'layer2_0_bn1');
  x = tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as Sym;
  return tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 3, name: 'head' }).apply(x) as Sym });
}

describe('backboneStages', () => {
  it('reads stages from torchvision-style names, stem first', () => {
    const tm = replaceHead(resnetNamed(), { numClasses: 2 }, new Rng(1));
    const stages = backboneStages(tm.backbone);
    expect(stages.map((s) => s.name)).toEqual(['stem', 'layer1', 'layer2']);
    expect(stages[0]?.layers.map((l) => l.name)).toContain('bn1');
    expect(stages[1]?.layers.map((l) => l.name)).toEqual(['layer1_0_conv1', 'layer1_0_bn1', 'layer1_0_add']);
    // conv kernel + bias, BN gamma + beta: the BN statistics do not train
    expect(stages[1]?.variables).toHaveLength(4);
  });

  it('splits a network without stage names at every layer with a kernel', () => {
    const input = tfl.input({ shape: [4, 4, 1] });
    let x = tfl.layers.conv2d({ filters: 2, kernelSize: 3 }).apply(input) as Sym;
    x = tfl.layers.batchNormalization().apply(x) as Sym;
    x = tfl.layers.conv2d({ filters: 2, kernelSize: 1 }).apply(x) as Sym;
    x = tfl.layers.globalAveragePooling2d({ name: 'features' }).apply(x) as Sym;
    const model = tfl.model({ inputs: input, outputs: tfl.layers.dense({ units: 2 }).apply(x) as Sym });
    const stages = backboneStages(replaceHead(model, { numClasses: 2 }, new Rng(1)).backbone);
    expect(stages).toHaveLength(2);
    expect(stages[0]?.layers).toHaveLength(2); // conv + its BatchNorm
    expect(stages[0]?.variables).toHaveLength(4);
  });

  it('takes a custom pattern', () => {
    const tm = replaceHead(tinyStagedNet(3, [8, 8, 1], new Rng(1)), { numClasses: 2 }, new Rng(2));
    expect(backboneStages(tm.backbone).map((s) => s.name)).toEqual(['stage1', 'stage2']);
    expect(backboneStages(tm.backbone, /^(stage)\d/).map((s) => s.name)).toEqual(['stage']);
  });
});
