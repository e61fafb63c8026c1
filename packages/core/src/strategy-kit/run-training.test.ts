import type * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalize } from '../data/batches.js';
import { createFrugal } from '../frugal.js';
import { trainSupervised } from '../strategies/supervised.js';
import { stripes, strategyContext, tensorCounter, tinyPlugin, useCpu, weightValues } from '../testing/index.js';
import { trainConfig } from '../train/train-config.js';
import { softCrossEntropy } from '../train/losses.js';
import { buildModel } from './build-model.js';
import { requireUnlabelled } from './run-data.js';
import { runTraining } from './run-training.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-kit-'));
beforeAll(useCpu);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const train = trainConfig({ epochs: 2, batchSize: 8, optimizer: { lr: 0.1 } });
const context = (extra = {}) =>
  strategyContext(createFrugal({ plugins: [tinyPlugin()], seed: 3 }), { labelled: stripes(24), validation: stripes(9, 5) }, train, extra);

describe('the strategy kit', () => {
  it('runs a strategy that states only its loss exactly as the stock supervised one', async () => {
    const stock = await trainSupervised(context());
    const ctx = context();
    const built = buildModel(ctx);
    const net = built.trainingModel ?? built.model;
    const run = await runTraining(ctx, {
      model: built,
      loss: (batch) => softCrossEntropy(net.apply(normalize(batch.x, ctx.data.normalization), { training: true }) as tf.Tensor2D, batch.y),
    });
    expect(run.steps).toBe(stock.run.steps);
    expect(weightValues(built.model.weights)).toEqual(weightValues(stock.model.model.weights));
    expect(run.history[1]).toHaveProperty('valAccuracy');
    stock.model.model.dispose();
    built.model.dispose();
  });

  it('writes checkpoints under the plan folder, keeps live tensors flat and trains a given model', async () => {
    const counter = tensorCounter();
    const ctx = context({ runDir: join(root, 'run'), callbacks: [counter.callback] });
    const built = buildModel(ctx);
    await trainSupervised(ctx, { model: built, folder: 'warm-up', train: { epochs: 3 } });
    expect(readdirSync(join(root, 'run', 'warm-up', 'checkpoints'))).toContain('latest.json');
    expect(counter.counts).toHaveLength(9);
    expect(new Set(counter.counts.slice(1)).size).toBe(1);
    expect(built.model.weights.length).toBeGreaterThan(0);
    built.model.dispose();
  });

  it('says what to set when a strategy needs unlabelled images and the run has none', () => {
    expect(() => requireUnlabelled(context(), 'my-strategy')).toThrow(
      /Strategy "my-strategy" learns from unlabelled images, and this run has none\. Set data\.labelledPerClass/,
    );
  });
});
