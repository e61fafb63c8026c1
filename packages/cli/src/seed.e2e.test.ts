import { createFrugal, readRecipeFile, runRecipe, selectBackend, validateRecipe } from '@frugal/core';
import { standardPlugins } from '@frugal/preset-standard';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

// The recipe's seed alone decides a run's numbers: `frugal train` and runRecipe from code (an
// instance seeded otherwise, which has built a model before) give the same test loss.
const root = mkdtempSync(join(tmpdir(), 'frugal-seed-'));

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'train'), 8, 0);
  await writeBarsFolder(join(root, 'test'), 3, 5);
  writeFileSync(join(root, 'recipe.json'), JSON.stringify(barsRecipe(root, 1, { seed: 3 })));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("a recipe's seed", () => {
  it('gives the same numbers from the command and from code', async () => {
    const cli = frugalSync(['train', 'recipe.json', '--quiet'], root);
    expect(cli.code, cli.stderr).toBe(0);
    const fromCli = JSON.parse(readFileSync(join(root, 'runs', 'bars', 'summary.json'), 'utf8')).evaluation.loss as number;
    expect(fromCli).toBeGreaterThan(0);

    const frugal = createFrugal({ plugins: standardPlugins(), seed: 11 });
    await selectBackend(frugal, 'wasm');
    frugal.models.create('resnet20', { numClasses: 3, inputShape: [12, 12, 1], widthMultiplier: 0.25 }).model.dispose();
    const recipe = validateRecipe(await readRecipeFile(join(root, 'recipe.json')), frugal);
    const fromCode = await runRecipe(frugal, recipe, { quiet: true });
    expect(fromCode.evaluation?.loss).toBe(fromCli);
  });
});
