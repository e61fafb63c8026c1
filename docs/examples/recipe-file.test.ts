import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRecipeFile } from './recipe-file.js';

const dir = mkdtempSync(join(tmpdir(), 'frugal-docs-recipe-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const recipe = join(import.meta.dirname, 'recipes', 'digits.yaml');

describe('recipe file example', () => {
  it('validates and runs recipes/digits.yaml, writing the run directory', async () => {
    // The recipe as written, with a shorter schedule and test set for the test suite.
    const result = await runRecipeFile(recipe, join(dir, 'run'), {
      train: { epochs: 6, batchSize: 20, optimizer: { name: 'adam', lr: 0.01, weightDecay: 0 } },
      data: { dataset: 'mnist', labelledPerClass: 10, params: { testPerClass: 10 } },
    });
    expect(result.accuracy).toBeGreaterThan(0.25);
    for (const f of ['recipe.json', 'metrics.jsonl', 'model/model.json', 'summary.json']) expect(existsSync(join(dir, 'run', f)), f).toBe(true);
  });

  it('reports a bad field by its path', async () => {
    await expect(runRecipeFile(recipe, join(dir, 'bad'), { model: { name: 'resnet20', params: { widthMultiplier: -1 } } })).rejects.toThrow(
      /model\.params.*widthMultiplier/,
    );
  });
});
