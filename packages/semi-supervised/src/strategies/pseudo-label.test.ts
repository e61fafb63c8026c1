import { runRecipe, validateRecipe, type StrategyResult } from '@frugal/core';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GenerationRecord, SelfTrainingState } from '../self-training/self-training-state.js';
import { streamedImages } from '@frugal/core/testing';
import { patterns, tensorCounter, testFrugal, tinyContext, useTestBackend } from '../test-utils/tiny.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-pseudo-'));
beforeAll(useTestBackend);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const params = { confidenceThreshold: 0.4, balance: 'top-k', perClass: 10, unlabelledRatio: 1, stepsPerEpoch: 4 };

async function run(p: Record<string, unknown> = params) {
  const frugal = testFrugal(3);
  const counter = tensorCounter();
  const result: StrategyResult = await frugal.strategies.create('pseudo-label', p).run(tinyContext(frugal, { callbacks: [counter] }));
  return { result, counter };
}

describe('pseudo-label', () => {
  it('trains a teacher, then a student on labelled + balanced pseudo-labels; deterministic, tensors flat', async () => {
    const a = await run();
    const generations = a.result.details?.generations as GenerationRecord[];
    expect(generations.map((g) => g.generation)).toEqual([0, 1]);
    const stats = generations[1]?.pseudoLabels;
    expect(stats?.perClassTarget).toBe(10);
    for (const n of stats?.perClass ?? []) expect([0, 10]).toContain(n);
    expect(a.counter.loops).toHaveLength(2);
    expect(a.counter.flat()).toBe(true);
    const b = await run();
    expect(b.result.evaluation?.loss).toBe(a.result.evaluation?.loss);
    a.result.model.model.dispose();
    b.result.model.model.dispose();
  });

  it('runs from a recipe and writes its generations into the run directory', async () => {
    const frugal = testFrugal(5);
    const recipe = validateRecipe(
      {
        seed: 5,
        data: { dataset: 'patterns', labelledPerClass: 4, params: { count: 60, testCount: 30 } },
        model: { name: 'tiny-a' },
        strategy: { name: 'pseudo-label', params: { confidenceThreshold: 0.4, stepsPerEpoch: 3, labels: 'soft', temperature: 2 } },
        train: { epochs: 2, batchSize: 4, optimizer: { lr: 0.1 } },
      },
      frugal,
    );
    const runDir = join(root, 'recipe');
    const r = await runRecipe(frugal, recipe, { runDir, quiet: true });
    expect(r.data).toMatchObject({ labelled: 12, unlabelled: 48 });
    const state = JSON.parse(readFileSync(join(runDir, 'pseudo-label', 'state.json'), 'utf8')) as SelfTrainingState;
    expect(state.completed.map((c) => c.model)).toEqual(['tiny-a', 'tiny-a']);
    for (const f of ['model/model.json', 'summary.json', 'pseudo-label/generation-1/model/model.json']) expect(existsSync(join(runDir, f)), f).toBe(true);
    r.result.model.model.dispose();
  });

  it('smooths the predictions of the teacher over the pixel graph when asked: other pseudo-labels, deterministic, tensors flat', async () => {
    const p = { ...params, graphSmoothing: { neighbours: 5, dimensions: 8, alpha: 0.9 } };
    const plain = await run();
    const a = await run(p);
    const b = await run(p);
    const stats = (r: typeof a) => (r.result.details?.generations as GenerationRecord[])[1]?.pseudoLabels;
    expect(stats(a)?.meanConfidence).not.toBe(stats(plain)?.meanConfidence);
    expect(a.counter.flat()).toBe(true);
    expect(b.result.evaluation?.loss).toBe(a.result.evaluation?.loss);
    for (const r of [plain, a, b]) r.result.model.model.dispose();
  });

  it('refuses graph smoothing when the unlabelled images are read from a folder as training goes', async () => {
    const frugal = testFrugal(3);
    const ctx = tinyContext(frugal);
    const streamed = { ...ctx, data: { ...ctx.data, unlabelled: undefined, unlabelledStream: streamedImages(patterns(60, 3, { hideLabels: true })) } };
    const run = frugal.strategies.create('noisy-student', { confidenceThreshold: 0.4, iterations: 1, stepsPerEpoch: 2, graphSmoothing: {} }).run(streamed);
    await expect(run).rejects.toMatchObject({ name: 'FrugalInputError' });
    await expect(run).rejects.toThrow(/noisy-student: strategy.params.graphSmoothing .* needs them in memory/);
  });

  it('rejects bad parameters with the field name', () => {
    const frugal = testFrugal(3);
    expect(() => validateRecipe({ data: { dataset: 'patterns' }, model: { name: 'tiny-a' }, strategy: { name: 'pseudo-label', params: { balance: 'even' } } }, frugal)).toThrow(
      /balance/,
    );
    expect(() => frugal.strategies.create('pseudo-label', { graphSmoothing: { alpha: 1 } })).toThrow(/graphSmoothing.alpha/);
    expect(() => frugal.strategies.create('noisy-student', { graphSmoothing: { neighbors: 5 } })).toThrow(/neighbors/);
  });
});
