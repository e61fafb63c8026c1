import { Rng, TrainingInterrupted, fileHandler, isInputError, type Logs, type StrategyResult, type TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortAfter, tensorCounter, testFrugal, tinyContext, tinyResNet, useTestBackend } from '../test-utils/tiny.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-co-training-'));
const peerDir = join(root, 'peer-start');
beforeAll(async () => {
  await useTestBackend();
  // The second network's start: the tiny model with other weights than the first's.
  const peer = tinyResNet(3, [8, 8, 1], new Rng(99));
  await peer.save(fileHandler(peerDir, { overwrite: true }));
  peer.dispose();
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 4 labelled + 8 unlabelled images a step, 4 steps an epoch, 3 epochs.
const params = {
  confidenceThreshold: 'self-adaptive',
  distributionAlignment: true,
  unlabelledRatio: 2,
  stepsPerEpoch: 4,
  strongAugment: [{ op: 'rand-augment', magnitude: 0.3 }],
  peerInit: peerDir,
};

const weightsOf = (result: StrategyResult): number[][] => result.model.model.getWeights().map((w) => Array.from(w.dataSync()));

function stepLogs(): TrainingCallback & { logs: Logs[] } {
  const logs: Logs[] = [];
  return { name: 'step-logs', logs, onStepEnd: (_s, l) => void logs.push(l) };
}

async function run(options: { runDir?: string; resume?: boolean; steps?: number; pseudoLabels?: 'cross' | 'mean' } = {}) {
  const frugal = testFrugal(11);
  const counter = tensorCounter();
  const steps = stepLogs();
  const controller = new AbortController();
  const callbacks = [counter, steps, ...(options.steps ? [abortAfter(controller, options.steps)] : [])];
  const ctx = tinyContext(frugal, { runDir: options.runDir, resume: options.resume, signal: controller.signal, callbacks });
  const p = { ...params, pseudoLabels: options.pseudoLabels ?? 'cross' };
  return { result: await frugal.strategies.create('co-training', p).run(ctx), counter, steps };
}

describe('co-training', () => {
  let straight: number[][] | undefined;

  it('trains both networks on their labelled and consistency losses, with live tensors flat from step to step', async () => {
    const runDir = join(root, 'straight');
    const { result, counter, steps } = await run({ runDir });
    straight = weightsOf(result);
    expect(steps.logs).toHaveLength(12);
    for (const i of [1, 2]) {
      expect(steps.logs.every((l) => Number.isFinite(l[`unlabelledLoss${i}`]) && Number.isFinite(l[`accuracy${i}`]))).toBe(true);
      expect(steps.logs.some((l) => (l[`maskRate${i}`] as number) > 0)).toBe(true);
    }
    expect(result.details).toMatchObject({ strategy: 'co-training', steps: 12 });
    const details = result.details as { peerAccuracy: number; meanAccuracy: number };
    expect(details.peerAccuracy).toBeGreaterThanOrEqual(0);
    expect(details.meanAccuracy).toBeGreaterThanOrEqual(0);
    expect(result.evaluation?.count).toBe(30);
    expect(existsSync(join(runDir, 'peer', 'model', 'model.json'))).toBe(true);
    expect(counter.flat()).toBe(true);
    result.model.model.dispose();
  });

  it('learns other weights from the pair\'s mean prediction than from each other\'s', async () => {
    const { result, counter } = await run({ pseudoLabels: 'mean' });
    expect(counter.flat()).toBe(true);
    expect(weightsOf(result)).not.toEqual(straight);
    result.model.model.dispose();
  });

  it('resumes an interrupted run to the same weights, with each network\'s thresholds and alignment restored', async () => {
    expect(straight, 'the run of the first test').toBeDefined();
    const runDir = join(root, 'resumed');
    await expect(run({ runDir, steps: 5 })).rejects.toBeInstanceOf(TrainingInterrupted);
    const { result, steps } = await run({ runDir, resume: true });
    expect(steps.logs).toHaveLength(7);
    expect(weightsOf(result)).toEqual(straight);
    result.model.model.dispose();
  });

  it('releases the tensors it made', async () => {
    const before = tf.memory().numTensors;
    const frugal = testFrugal(11);
    const ctx = tinyContext(frugal, { train: { ...tinyContext(frugal).train, epochs: 2 } });
    const r = await frugal.strategies.create('co-training', { ...params, stepsPerEpoch: 1 }).run(ctx);
    r.model.model.dispose();
    // Core's optimizer keeps one stray tensor per trainable variable (its momentum slot's zeros), for both networks.
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(16);
  });

  it('says which parameter names a missing start for the second network', async () => {
    const frugal = testFrugal(11);
    const error = await frugal.strategies.create('co-training', { ...params, peerInit: join(root, 'nowhere') }).run(tinyContext(frugal)).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/strategy\.params\.peerInit: no saved model at ".*nowhere"/);
    expect(() => frugal.strategies.create('co-training', { pseudoLabels: 'cross' })).toThrow(/peerInit/);
    expect(() => frugal.strategies.create('co-training', { ...params, pseudoLabels: 'both' })).toThrow(/pseudoLabels/);
  });
});
