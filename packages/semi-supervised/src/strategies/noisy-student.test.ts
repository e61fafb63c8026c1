import { TrainingInterrupted, type StrategyResult } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRecord, SelfTrainingState } from '../self-training/self-training-state.js';
import { abortAfter, tensorCounter, testFrugal, tinyContext, useTestBackend, type BuildLog } from '../test-utils/tiny.js';
import { generationModels, noisyStudentParams } from './noisy-student.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-noisy-'));
beforeAll(useTestBackend);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const params = {
  iterations: 2,
  models: ['tiny-a', 'tiny-b'],
  confidenceThreshold: 0.4,
  stepsPerEpoch: 5,
  noise: { augment: [{ op: 'rand-augment', magnitude: 0.1 }], dropout: 0.1, stochasticDepthRate: 0.1 },
};

function weightsOf(result: StrategyResult): number[][] {
  return result.model.model.getWeights().map((w) => Array.from(w.dataSync()));
}

async function run(options: { runDir?: string; resume?: boolean; signal?: AbortSignal; steps?: number; builds?: BuildLog; p?: Record<string, unknown> } = {}) {
  const frugal = testFrugal(7, options.builds);
  const counter = tensorCounter();
  const controller = new AbortController();
  const callbacks = [counter, ...(options.steps ? [abortAfter(controller, options.steps)] : [])];
  const ctx = tinyContext(frugal, { runDir: options.runDir, resume: options.resume, signal: options.steps ? controller.signal : undefined, callbacks });
  const strategy = frugal.strategies.create('noisy-student', options.p ?? params);
  return { result: await strategy.run(ctx), counter };
}

describe('noisy-student', () => {
  it('plans a model per generation, teacher first, the last repeating', () => {
    const p = (raw: unknown) => noisyStudentParams.parse(raw);
    expect(generationModels(p({}), 'r')).toEqual(['r', 'r', 'r', 'r']);
    expect(generationModels(p({ models: ['a', 'b', 'c'] }), 'r')).toEqual(['a', 'b', 'c']);
    expect(generationModels(p({ models: ['a', 'b'], iterations: 3 }), 'r')).toEqual(['a', 'b', 'b', 'b']);
    expect(() => generationModels(p({ models: ['a', 'b', 'c'], iterations: 1 }), 'r')).toThrow(/models lists 3 generations .* but iterations is 1/);
  });

  let straight: number[][] | undefined;

  it('keeps every generation under the run directory and records its bookkeeping', async () => {
    const runDir = join(root, 'full');
    const builds: BuildLog = [];
    const { result, counter } = await run({ runDir, builds });
    straight = weightsOf(result);
    const dir = join(runDir, 'noisy-student');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SelfTrainingState;
    expect(state.models).toEqual(['tiny-a', 'tiny-b', 'tiny-b']);
    expect(state.completed.map((r) => [r.generation, r.model])).toEqual([
      [0, 'tiny-a'],
      [1, 'tiny-b'],
      [2, 'tiny-b'],
    ]);
    for (const g of [0, 1, 2]) {
      for (const f of ['model/model.json', 'model/weights.bin', 'summary.json', 'metrics.jsonl', 'checkpoints/latest.json']) {
        expect(existsSync(join(dir, `generation-${g}`, f)), `generation-${g}/${f}`).toBe(true);
      }
    }
    const summary = JSON.parse(readFileSync(join(dir, 'generation-1', 'summary.json'), 'utf8')) as GenerationRecord;
    expect(summary.pseudoLabels?.candidates).toBe(60);
    expect(summary.pseudoLabels?.kept).toBeGreaterThan(0);
    expect(summary.test?.count).toBe(30);
    expect(summary.parameters).toBeGreaterThan(state.completed[0]?.parameters ?? Infinity);
    const lines = readFileSync(join(dir, 'generation-2', 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ generation: 2, kind: 'epoch' });
    expect(lines[0]).toHaveProperty('pseudoLoss');
    // Every generation trained with noise: the models got dropout and stochastic depth.
    expect(builds).toEqual(new Array(3).fill(0).map((_, g) => ({ model: g ? 'tiny-b' : 'tiny-a', params: { dropout: 0.1, stochasticDepthRate: 0.1 } })));
    expect((result.details?.generations as GenerationRecord[]).length).toBe(3);
    expect(result.evaluation?.accuracy).toBeGreaterThan(0.8);
    // Each loop's live tensors stay flat from step to step.
    expect(counter.loops).toHaveLength(3);
    expect(counter.flat()).toBe(true);
    result.model.model.dispose();
  });

  it('resumes at the generation and epoch where it was interrupted, with the same result', async () => {
    expect(straight, 'the uninterrupted run of the previous test').toBeDefined();
    const runDir = join(root, 'interrupted');
    // Teacher: 12 labelled / batch 4 = 3 steps x 3 epochs; then generation 1 has 3 epochs of 5 steps.
    const stopped = run({ runDir, steps: 9 + 7 });
    await expect(stopped).rejects.toBeInstanceOf(TrainingInterrupted);
    await expect(stopped).rejects.toThrow(/interrupted at epoch 2, step 2/);
    const dir = join(runDir, 'noisy-student');
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SelfTrainingState;
    expect(state.completed.map((r) => r.generation)).toEqual([0]);
    expect(existsSync(join(dir, 'generation-1', 'checkpoints', 'latest.json'))).toBe(true);

    const builds: BuildLog = [];
    const { result: resumed } = await run({ runDir, resume: true, builds });
    expect(builds.map((b) => b.model)).toEqual(['tiny-a', 'tiny-b', 'tiny-b']); // teacher rebuilt to load its weights
    expect(weightsOf(resumed)).toEqual(straight);
    const after = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as SelfTrainingState;
    expect(after.completed.map((r) => r.generation)).toEqual([0, 1, 2]);

    // Resuming a finished run trains nothing and gives the last generation.
    const again = await run({ runDir, resume: true });
    expect(weightsOf(again.result)).toEqual(straight);
    for (const r of [resumed, again.result]) r.model.model.dispose();
  });

  it('is deterministic, and releases the tensors it made', async () => {
    const before = tf.memory().numTensors;
    const small = { ...params, iterations: 1, teacherEpochs: 1, stepsPerEpoch: 2 };
    const a = await run({ p: small });
    const b = await run({ p: small });
    expect(a.result.evaluation?.loss).toBe(b.result.evaluation?.loss);
    a.result.model.model.dispose();
    b.result.model.model.dispose();
    // Core's optimizer keeps one stray tensor per trainable variable of every loop it runs (the
    // zeros its momentum slot is made from); everything this package creates is released.
    const optimizerStrays = 2 * (8 + 8);
    expect(tf.memory().numTensors - before).toBeLessThanOrEqual(optimizerStrays);
  });

  it('says clearly when RandAugment is absent', async () => {
    const frugal = testFrugal(7, [], { randAugment: false });
    const strategy = frugal.strategies.create('noisy-student', { iterations: 1 });
    await expect(strategy.run(tinyContext(frugal))).rejects.toThrow(
      /strategy.params.noise.augment\[0\]: unknown augmentation "rand-augment".*@frugal\/augment.*or set strategy.params.noise.augment to \[\]/,
    );
  });

  it('applies model noise only where the model takes it, and rejects asking for it where it does not', async () => {
    const logs: string[] = [];
    const frugal = testFrugal(7);
    const ctx = tinyContext(frugal, { model: { name: 'tiny-plain', params: {} }, log: (m) => logs.push(m) });
    const r = await frugal.strategies.create('noisy-student', { iterations: 1, confidenceThreshold: 0.34, stepsPerEpoch: 2 }).run(ctx);
    expect(logs.some((m) => /model "tiny-plain" takes no "dropout" parameter, so it trains without that noise/.test(m))).toBe(true);
    r.model.model.dispose();
    await expect(frugal.strategies.create('noisy-student', { iterations: 1, noise: { stochasticDepthRate: 0.1 } }).run(ctx)).rejects.toThrow(
      /noise.stochasticDepthRate is 0.1, but model "tiny-plain" takes no "stochasticDepthRate" parameter/,
    );
  });

  it('needs unlabelled images', async () => {
    const frugal = testFrugal(7);
    const ctx = tinyContext(frugal);
    await expect(frugal.strategies.create('noisy-student', {}).run({ ...ctx, data: { ...ctx.data, unlabelled: undefined } })).rejects.toThrow(
      /Strategy "noisy-student" learns from unlabelled images, and this run has none. Set data.labelledPerClass/,
    );
  });
});
