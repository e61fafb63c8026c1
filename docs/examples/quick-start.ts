import { createFrugal, runRecipe, validateRecipe, type RecipeInput } from '@frugal/core';
import { augment } from '@frugal/augment';
import { data } from '@frugal/data';
import { resnet } from '@frugal/models-resnet';
import { runtimeGpu, useBackend } from '@frugal/runtime-gpu';

/** Trains a small ResNet on a few labelled MNIST digits and returns its test accuracy. */
export async function quickStart({ labelledPerClass = 10, epochs = 15, testPerClass = 100 } = {}) {
  // The fastest backend present: CUDA > native CPU > wasm > cpu.
  const device = await useBackend('auto');

  const frugal = createFrugal({ plugins: [runtimeGpu(), data(), augment(), resnet()], seed: 42 });
  const recipe: RecipeInput = {
    data: { dataset: 'mnist', labelledPerClass, params: { testPerClass } },
    model: { name: 'resnet20', params: { widthMultiplier: 0.25 } },
    augment: [
      { op: 'pad-crop', padding: 2 },
      { op: 'rotate', degrees: 10 },
    ],
    train: { epochs, batchSize: 20, optimizer: { name: 'adam', lr: 0.01, weightDecay: 0 } },
  };
  const run = await runRecipe(frugal, validateRecipe(recipe, frugal), { quiet: true });

  console.log(`${device.backend}: ${run.data.labelled} labelled images -> test accuracy ${run.evaluation?.accuracy.toFixed(3)}`);
  return { backend: device.backend, labelled: run.data.labelled, accuracy: run.evaluation?.accuracy ?? 0 };
}
