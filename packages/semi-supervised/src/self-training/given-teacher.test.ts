import { loadInitialWeights, validateRecipe, type StrategyResult } from '@frugal/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tensorCounter, testFrugal, tinyContext, useTestBackend } from '../test-utils/tiny.js';
import type { GenerationRecord } from './self-training-state.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-given-teacher-'));
beforeAll(useTestBackend);
afterAll(() => rmSync(root, { recursive: true, force: true }));

const params = { confidenceThreshold: 0.4, balance: 'top-k', perClass: 10, unlabelledRatio: 1, stepsPerEpoch: 4 };

const generationsOf = (r: StrategyResult) => r.details?.generations as GenerationRecord[];

describe('self-training from a given teacher (teacherEpochs: 0)', () => {
  it('takes the starting model as the teacher, untrained: the same pseudo-labels and student as when that teacher was trained in the run', async () => {
    const runDir = join(root, 'trained');
    const frugal = testFrugal(3);
    const trained = await frugal.strategies.create('pseudo-label', params).run(tinyContext(frugal, { runDir }));
    const init = await loadInitialWeights(join(runDir, 'pseudo-label', 'generation-0', 'model'));
    try {
      const again = testFrugal(3);
      const counter = tensorCounter();
      const logs: string[] = [];
      const ctx = tinyContext(again, { init, callbacks: [counter], log: (m) => logs.push(m) });
      const given = await again.strategies.create('pseudo-label', { ...params, teacherEpochs: 0 }).run(ctx);
      const [t0, t1] = generationsOf(trained);
      const [g0, g1] = generationsOf(given);
      expect(t0?.steps).toBeGreaterThan(0);
      expect(g0?.steps).toBe(0);
      expect(g0?.test?.accuracy).toBe(t0?.test?.accuracy);
      expect(g0?.test?.loss).toBeCloseTo(t0?.test?.loss ?? NaN, 6);
      expect(g1?.pseudoLabels).toEqual(t1?.pseudoLabels);
      expect(given.evaluation?.loss).toBeCloseTo(trained.evaluation?.loss ?? NaN, 5);
      expect(logs.some((m) => m.includes('teacherEpochs 0'))).toBe(true);
      // Only the student trains; its live tensors stay flat from step to step.
      expect(counter.loops).toHaveLength(1);
      expect(counter.flat()).toBe(true);
      given.model.model.dispose();
    } finally {
      init.dispose();
      trained.model.model.dispose();
    }
  });

  it('needs a starting model of the teacher\'s kind', async () => {
    const frugal = testFrugal(3);
    await expect(frugal.strategies.create('pseudo-label', { ...params, teacherEpochs: 0 }).run(tinyContext(frugal))).rejects.toThrow(
      /teacherEpochs is 0.*no model\.init/,
    );
    const runDir = join(root, 'for-noisy');
    const trained = await frugal.strategies.create('pseudo-label', params).run(tinyContext(frugal, { runDir }));
    trained.model.model.dispose();
    const init = await loadInitialWeights(join(runDir, 'pseudo-label', 'generation-0', 'model'));
    try {
      const noisy = frugal.strategies.create('noisy-student', { ...params, teacherEpochs: 0, models: ['tiny-b'], iterations: 1 });
      await expect(noisy.run(tinyContext(frugal, { init }))).rejects.toThrow(/first of models is tiny-b; list tiny-a first/);
    } finally {
      init.dispose();
    }
  });

  it('is validated by the recipe schema', () => {
    const frugal = testFrugal(3);
    const recipe = (teacherEpochs: number) => ({
      data: { dataset: 'patterns' },
      model: { name: 'tiny-a' },
      strategy: { name: 'noisy-student', params: { teacherEpochs } },
    });
    expect(() => validateRecipe(recipe(0), frugal)).not.toThrow();
    expect(() => validateRecipe(recipe(-1), frugal)).toThrow(/teacherEpochs/);
  });
});
