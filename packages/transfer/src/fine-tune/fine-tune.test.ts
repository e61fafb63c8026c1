import { createFrugal, Rng, trainConfig, type TrainingCallback } from '@frugal/core';
import type * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { replaceHead, type TransferModel } from '../model/replace-head.js';
import { transferParams, type TransferParamsInput } from '../params.js';
import { noise, strategyContext, stripes, tensorCounter, tinyPlugin, tinyStagedNet, weightValues } from '@frugal/core/testing';
import { useBackend } from '@frugal/runtime-gpu';
import { fineTune } from './fine-tune.js';

beforeAll(() => useBackend('auto'));

const labelled = stripes(12, 1);

function setup(seed = 1) {
  const frugal = createFrugal({ plugins: [tinyPlugin()], seed });
  const tm = replaceHead(tinyStagedNet(3, [8, 8, 1], new Rng(seed)), { numClasses: 3 }, new Rng(seed + 1));
  return { frugal, tm };
}

const stageWeights = (tm: TransferModel, stage: string) =>
  tm.backbone.layers.filter((l) => l.name.startsWith(stage)).flatMap((l) => l.weights);
const trainable = (tm: TransferModel, prefix: string) =>
  tm.model.layers.filter((l) => l.name.startsWith(prefix)).flatMap((l) => l.trainableWeights);

function norm(values: number[][]): number {
  return Math.sqrt(values.flat().reduce((a, v) => a + v * v, 0));
}

/** How far each group of weights moves in one optimizer step (one batch holding every image). */
async function oneStep(params: TransferParamsInput) {
  const { frugal, tm } = setup(5);
  const groups = { stage1: trainable(tm, 'stage1'), stage2: trainable(tm, 'stage2'), head: trainable(tm, 'head') };
  const before = Object.fromEntries(Object.entries(groups).map(([k, w]) => [k, weightValues(w)]));
  const train = trainConfig({ epochs: 1, batchSize: 12, optimizer: { lr: 0.1 } });
  await fineTune(strategyContext(frugal, { labelled }, train), tm, transferParams.parse(params));
  const moved = (k: keyof typeof groups) =>
    norm(weightValues(groups[k]).map((row, i) => row.map((v, j) => v - ((before[k] as number[][])[i] as number[])[j]!)));
  return { stage1: moved('stage1'), stage2: moved('stage2'), head: moved('head') };
}

describe('fineTune', () => {
  it('moves the backbone less than the head by the configured ratio', async () => {
    const same = await oneStep({ lrMultiplier: 1 });
    const tenth = await oneStep({ lrMultiplier: 10 });
    const explicit = await oneStep({ lrHead: 0.1, lrBackbone: 0.025 });
    expect(same.stage2).toBeGreaterThan(0);
    expect(tenth.head / same.head).toBeCloseTo(1, 5);
    expect(tenth.stage2 / same.stage2).toBeCloseTo(0.1, 4);
    expect(tenth.stage1 / same.stage1).toBeCloseTo(0.1, 4);
    expect(explicit.stage1 / same.stage1).toBeCloseTo(0.25, 4);
  });

  it('decays the rate layer-wise from the top stage down', async () => {
    const same = await oneStep({ lrMultiplier: 1 });
    const decayed = await oneStep({ lrMultiplier: 2, layerDecay: 0.5 });
    expect(decayed.stage2 / same.stage2).toBeCloseTo(0.5, 4);
    expect(decayed.stage1 / same.stage1).toBeCloseTo(0.25, 4);
  });

  it('unfreezes gradually: the head first, then the stages from the top; frozen stages keep their BatchNorm statistics', async () => {
    const { frugal, tm } = setup(6);
    const initial = { stage1: weightValues(stageWeights(tm, 'stage1')), stage2: weightValues(stageWeights(tm, 'stage2')) };
    const snapshots: { stage1: number[][]; stage2: number[][] }[] = [];
    const snap: TrainingCallback = {
      name: 'snapshot',
      onEpochEnd: () => void snapshots.push({ stage1: weightValues(stageWeights(tm, 'stage1')), stage2: weightValues(stageWeights(tm, 'stage2')) }),
    };
    const train = trainConfig({ epochs: 3, batchSize: 4, optimizer: { lr: 0.05 } });
    const run = await fineTune(strategyContext(frugal, { labelled }, train, { callbacks: [snap] }), tm, transferParams.parse({
      gradualUnfreezing: { headEpochs: 1, epochsPerStage: 1 },
    }));
    expect(run.stages.map((s) => [s.name, s.fromEpoch])).toEqual([['stage2', 1], ['stage1', 2]]);
    expect(snapshots[0]).toEqual(initial); // epoch 1: head only
    expect(snapshots[1]?.stage1).toEqual(initial.stage1); // epoch 2: stage2 thawed
    expect(snapshots[1]?.stage2).not.toEqual(initial.stage2);
    expect(snapshots[2]?.stage1).not.toEqual(initial.stage1); // epoch 3: everything
    // the switch is gone after training: the model runs in training mode again everywhere
    expect(Object.prototype.hasOwnProperty.call(tm.backbone.getLayer('stage1_bn'), 'call')).toBe(false);
  });

  it('keeps the live tensor count flat across steps, with unfreezing and augmentation', async () => {
    const { frugal, tm } = setup(7);
    const { callback, counts } = tensorCounter();
    const train = trainConfig({ epochs: 3, batchSize: 4, emaDecay: 0.9, clipNorm: 1 });
    await fineTune(
      strategyContext(frugal, { labelled, validation: stripes(6, 2) }, train, { augment: [noise], callbacks: [callback] }),
      tm,
      transferParams.parse({ gradualUnfreezing: { headEpochs: 1 } }),
    );
    expect(counts).toHaveLength(9);
    // new optimizer slots appear when a stage thaws; within an epoch the count stays flat
    for (const epoch of [0, 1, 2]) expect(new Set(counts.slice(epoch * 3 + 1, epoch * 3 + 3)).size).toBe(1);
    expect(counts[8]).toBe(counts[7]);
  });

  it('gives the same weights for the same seed', async () => {
    const run = async () => {
      const { frugal, tm } = setup(8);
      const train = trainConfig({ epochs: 2, batchSize: 4 });
      await fineTune(strategyContext(frugal, { labelled }, train, { augment: [noise] }), tm, transferParams.parse({ layerDecay: 0.5 }));
      return weightValues(tm.model.weights as unknown as { read(): tf.Tensor }[]);
    };
    expect(await run()).toEqual(await run());
  });
});
