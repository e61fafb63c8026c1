import { TrainingInterrupted, type Logs, type StrategyResult, type TrainingCallback } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { abortAfter, tensorCounter, testFrugal, tinyContext, useTestBackend } from '../test-utils/tiny.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-comatch-'));
beforeAll(useTestBackend);
afterAll(() => rmSync(root, { recursive: true, force: true }));

// 4 labelled + 8 unlabelled images a step, 4 steps an epoch, 3 epochs; the bank holds 2 steps' weak views.
const params = {
  confidenceThreshold: 0.5,
  unlabelledRatio: 2,
  stepsPerEpoch: 4,
  memorySize: 24,
  projectionDim: 8,
  graphThreshold: 0.5,
  strongAugment: [{ op: 'rand-augment', magnitude: 0.3 }],
};

function weightsOf(result: StrategyResult): number[][] {
  return result.model.model.getWeights().map((w) => Array.from(w.dataSync()));
}

function stepLogs(): TrainingCallback & { logs: Logs[] } {
  const logs: Logs[] = [];
  return { name: 'step-logs', logs, onStepEnd: (_s, l) => void logs.push(l) };
}

async function run(options: { runDir?: string; resume?: boolean; steps?: number; extra?: Record<string, unknown> } = {}) {
  const frugal = testFrugal(11);
  const counter = tensorCounter();
  const steps = stepLogs();
  const controller = new AbortController();
  const callbacks = [counter, steps, ...(options.steps ? [abortAfter(controller, options.steps)] : [])];
  const ctx = tinyContext(frugal, { runDir: options.runDir, resume: options.resume, signal: controller.signal, callbacks });
  return { result: await frugal.strategies.create('comatch', { ...params, ...options.extra }).run(ctx), counter, steps };
}

describe('comatch', () => {
  it('trains on the labelled, pseudo-label and graph-contrastive losses, with live tensors flat from step to step', async () => {
    const before = tf.memory().numTensors;
    const { result, counter, steps } = await run();
    expect(steps.logs).toHaveLength(12);
    expect(steps.logs.every((l) => Number.isFinite(l.contrastiveLoss) && Number.isFinite(l.unlabelledLoss))).toBe(true);
    expect(steps.logs.some((l) => (l.maskRate as number) > 0)).toBe(true);
    expect(counter.flat()).toBe(true);
    expect(result.evaluation?.accuracy).toBeGreaterThan(0);
    // The saved model is the classifier alone: the projection is not among its layers.
    expect(result.model.model.layers.some((l) => l.name.startsWith('comatch_'))).toBe(false);
    result.model.model.dispose();
    // Core's optimizer keeps one stray tensor per trainable variable (its momentum slot's zeros).
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(12);
  });

  it('resumes an interrupted run, memory bank included, to the same weights', async () => {
    const extra = { confidenceThreshold: 'self-adaptive', thresholdMomentum: 0.9 };
    const straight = await run({ extra });

    const runDir = join(root, 'resumed');
    await expect(run({ runDir, steps: 5, extra })).rejects.toBeInstanceOf(TrainingInterrupted);
    const resumed = await run({ runDir, resume: true, extra });
    expect(resumed.steps.logs.map((l) => l.contrastiveLoss)).toEqual(straight.steps.logs.slice(5).map((l) => l.contrastiveLoss));
    expect(weightsOf(resumed.result)).toEqual(weightsOf(straight.result));
    straight.result.model.model.dispose();
    resumed.result.model.model.dispose();
  });

  it('validates its parameters by name', () => {
    const frugal = testFrugal(11);
    expect(() => frugal.strategies.create('comatch', { smoothing: 1.5 })).toThrow(/smoothing/);
    expect(() => frugal.strategies.create('comatch', { memorySize: 0 })).toThrow(/memorySize/);
    expect(() => frugal.strategies.create('comatch', { lambda: 1 })).toThrow(/lambda/);
  });
});
