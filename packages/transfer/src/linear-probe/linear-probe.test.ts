import * as tf from '@tensorflow/tfjs-core';
import { createFrugal, Rng, trainConfig } from '@frugal/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaceHead } from '../model/replace-head.js';
import { transferParams } from '../params.js';
import { noise, strategyContext, stripes, tensorCounter, tinyPlugin, tinyStagedNet, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { linearProbe } from './linear-probe.js';

beforeAll(() => useBackend('auto'));

const labelled = stripes(24, 1);
const validation = stripes(6, 3);

function setup(seed: number, epochs = 3) {
  const frugal = createFrugal({ plugins: [tinyPlugin()], seed });
  const tm = replaceHead(tinyStagedNet(3, [8, 8, 1], new Rng(seed)), { numClasses: 3, hidden: 5, dropout: 0.2 }, new Rng(seed + 1));
  const train = trainConfig({ epochs, batchSize: 8, optimizer: { lr: 0.1 } });
  return { frugal, tm, train };
}

describe('linearProbe', () => {
  it.each([
    ['cached features', false],
    ['features of augmented images on the fly', true],
  ])('leaves every backbone weight and BatchNorm statistic unchanged (%s)', async (_, augmented) => {
    const { frugal, tm, train } = setup(1);
    const backbone = weightValues(tm.backbone.weights);
    const head = weightValues(tm.model.getLayer('head').weights);
    const ctx = strategyContext(frugal, { labelled, validation }, train, { augment: augmented ? [noise] : [] });
    const run = await linearProbe(ctx, tm, transferParams.parse({ mode: 'linear-probe' }));
    expect(run.featuresCached).toBe(!augmented);
    expect(run.history).toHaveLength(3);
    expect(run.history[2]).toHaveProperty('valAccuracy');
    expect(tm.backbone.weights.map((w) => w.name).some((n) => n.includes('moving_mean'))).toBe(true);
    expect(weightValues(tm.backbone.weights)).toEqual(backbone);
    expect(weightValues(tm.model.getLayer('head').weights)).not.toEqual(head);
  });

  it('runs the backbone once per image, not once per epoch, when it caches features', async () => {
    const { frugal, tm, train } = setup(2, 4);
    const convLayers = tm.backbone.layers.filter((l) => l.getClassName() === 'Conv2D').length;
    const profile = await tf.profile(async () => {
      await linearProbe(strategyContext(frugal, { labelled, validation }, train), tm, transferParams.parse({ mode: 'linear-probe' }));
    });
    const convolutions = profile.kernels.filter((k) => k.name === 'Conv2D' || k.name === 'FusedConv2D').length;
    expect(convLayers).toBeGreaterThan(0);
    expect(convolutions).toBe(2 * convLayers); // one batch of training images, one of validation images; 4 epochs
  });

  it('learns the head: training loss falls', async () => {
    const { frugal, tm } = setup(3);
    const train = trainConfig({ epochs: 15, batchSize: 8, optimizer: { lr: 0.2 } });
    const run = await linearProbe(strategyContext(frugal, { labelled }, train), tm, transferParams.parse({ mode: 'linear-probe' }));
    expect(run.history[14]?.loss).toBeLessThan((run.history[0]?.loss as number) * 0.9);
  });

  it.each([
    ['cached', false],
    ['on the fly', true],
  ])('keeps the live tensor count flat across steps (%s)', async (_, augmented) => {
    const { frugal, tm } = setup(4);
    const train = trainConfig({ epochs: 3, batchSize: 4, clipNorm: 1, emaDecay: 0.9 });
    const { callback, counts } = tensorCounter();
    const ctx = strategyContext(frugal, { labelled, validation }, train, { augment: augmented ? [noise] : [], callbacks: [callback] });
    await linearProbe(ctx, tm, transferParams.parse({ mode: 'linear-probe' }));
    expect(counts).toHaveLength(18);
    expect(new Set(counts.slice(1)).size).toBe(1);
  });
});
