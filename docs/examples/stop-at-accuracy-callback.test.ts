import { createFrugal, runRecipe, validateRecipe } from '@frugal/core';
import { tinyPlugin, useCpu } from '@frugal/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { stopAtAccuracyPlugin } from './stop-at-accuracy-callback.js';

beforeAll(useCpu);

const recipe = (callbacks: unknown[]) => ({
  seed: 2,
  data: { dataset: 'stripes', labelledPerClass: 8, params: { count: 45, testCount: 15 } },
  model: { name: 'tiny-staged' },
  train: { epochs: 30, batchSize: 8, optimizer: { lr: 0.1 } },
  callbacks,
});

describe('the stop-at-accuracy callback', () => {
  it('ends a recipe run at the first epoch that reaches the target', async () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), stopAtAccuracyPlugin()] });
    const run = await runRecipe(frugal, validateRecipe(recipe([{ name: 'stop-at-accuracy', params: { target: 0.9 } }]), frugal), { quiet: true });
    const history = run.result.details?.history as { accuracy: number }[];
    expect(history.length).toBeLessThan(30);
    expect(history.at(-1)?.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(history.slice(0, -1).every((e) => e.accuracy < 0.9)).toBe(true);
    expect(run.result.details?.stopReason).toMatch(/^accuracy reached (0\.9\d\d|1\.000) \(target 0\.9\)$/);
  });

  it('names a bad target', () => {
    const frugal = createFrugal({ plugins: [tinyPlugin(), stopAtAccuracyPlugin()] });
    expect(() => validateRecipe(recipe([{ name: 'stop-at-accuracy', params: { target: 2 } }]), frugal)).toThrow(/recipe\.callbacks\[0\]\.params\.target: got 2/);
  });
});
