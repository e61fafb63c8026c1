import { createFrugal, runRecipe, validateRecipe, type RunResult, type TrainingCallback } from '@frugal/core';
import { tensorCounter, tinyPlugin, useCpu, weightValues } from '@frugal/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { labelSmoothing } from './label-smoothing-strategy.js';

beforeAll(useCpu);

const recipe = (strategy: { name: string; params?: Record<string, unknown> }) => ({
  seed: 3,
  data: { dataset: 'stripes', labelledPerClass: 8, validationPerClass: 2, params: { count: 45, testCount: 15 } },
  model: { name: 'tiny-staged' },
  strategy,
  train: { epochs: 3, batchSize: 8, optimizer: { lr: 0.1 } },
});

async function run(strategy: { name: string; params?: Record<string, unknown> }, callbacks: TrainingCallback[] = []): Promise<RunResult> {
  const frugal = createFrugal({ plugins: [tinyPlugin(), labelSmoothing()] });
  return runRecipe(frugal, validateRecipe(recipe(strategy), frugal), { quiet: true, callbacks });
}

describe('the label-smoothing strategy', () => {
  it('equals the supervised strategy exactly at smoothing 0', async () => {
    const [smooth, plain] = [await run({ name: 'label-smoothing', params: { smoothing: 0 } }), await run({ name: 'supervised' })];
    expect(weightValues(smooth.result.model.model.weights)).toEqual(weightValues(plain.result.model.model.weights));
    expect(smooth.evaluation).toEqual(plain.evaluation);
  });

  it('trains differently with smoothing, and leaks no tensor from step to step', async () => {
    const counter = tensorCounter();
    const smooth = await run({ name: 'label-smoothing', params: { smoothing: 0.2 } }, [counter.callback]);
    const plain = await run({ name: 'supervised' });
    expect(smooth.evaluation?.loss).not.toBe(plain.evaluation?.loss);
    expect(counter.counts.length).toBeGreaterThan(3);
    expect(new Set(counter.counts.slice(1)).size).toBe(1);
  });

  it('rejects a smoothing of 1 or more, naming the field', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), labelSmoothing()] });
    expect(() => validateRecipe(recipe({ name: 'label-smoothing', params: { smoothing: 1 } }), frugal)).toThrow(/recipe\.strategy\.params\.smoothing: got 1/);
  });
});
