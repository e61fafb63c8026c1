// A trained run's data, prepared as the run prepared it (its recipe, seed and split), on a backend.
import { readFileSync } from 'node:fs';
import { prepareData, validateRecipe } from '@frugal/core';
import { activateBackend, frugalWith } from '@frugal/cli';

/** The run's recipe (as written) and its prepared data (labelled, unlabelled, test), with `backend` active. */
export async function runData(runDir, backend) {
  const raw = JSON.parse(readFileSync(`${runDir}/recipe.json`, 'utf8'));
  const frugal = await frugalWith({ seed: raw.seed });
  await activateBackend(frugal, backend);
  return { recipe: raw, data: await prepareData(frugal, validateRecipe(raw, frugal, `${runDir}/recipe.json`)) };
}
