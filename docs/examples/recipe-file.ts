import { createFrugal, readRecipeFile, recipeSchema, runRecipe, validateRecipe } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { resnet } from '@frugal/models-resnet';
import { runtimeGpu, useBackend } from '@frugal/runtime-gpu';

/** Runs a recipe file, writing its outputs to `runDir`. `overrides` replace top-level sections. */
export async function runRecipeFile(file: string, runDir: string, overrides: Record<string, unknown> = {}) {
  await useBackend('auto');
  const raw = { ...(await readRecipeFile(file)) as Record<string, unknown>, ...overrides };
  const { seed } = recipeSchema.parse(raw);
  const frugal = createFrugal({ plugins: [runtimeGpu(), data(), augment(), resnet()], seed });
  const run = await runRecipe(frugal, validateRecipe(raw, frugal, file), { runDir, quiet: true });
  return { accuracy: run.evaluation?.accuracy ?? 0, runDir: run.runDir };
}
