import { createFrugal, runRecipe, validateRecipe, type RecipeInput } from '@frugal/core';
import { distill } from '@frugal/distill';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';
import { mnistDigits } from './mnist-digits.js';

/**
 * Knowledge distillation: a wider ResNet-20 (the teacher) is trained on the labelled digits, then
 * its temperature-softened outputs on labelled and unlabelled digits teach a narrower student.
 */
export async function distillDigits({ labelledPerClass = 20, perClass = 100, testPerClass = 100, epochs = 10 } = {}) {
  await useBackend('auto');
  const frugal = createFrugal({ plugins: [mnistDigits(), resnet(), distill()], seed: 3 });
  const recipe: RecipeInput = {
    // The images beyond `labelledPerClass` lose their labels: the teacher labels them softly.
    data: { dataset: 'mnist-digits', labelledPerClass, params: { digits: [0, 1, 2, 3, 4], perClass, testPerClass } },
    model: { name: 'resnet20', params: { widthMultiplier: 0.25 } }, // the student
    train: { epochs, batchSize: 25, optimizer: { name: 'adam', lr: 0.01, weightDecay: 0 } },
    strategy: {
      name: 'distill',
      params: {
        teacher: { type: 'train', model: { name: 'resnet20', params: { widthMultiplier: 0.5 } } },
        temperature: 4, // T: softens both distributions, so the small probabilities count
        alpha: 0.9, // weight of the soft-label term; 0.1 goes to the hard labels
      },
    },
  };
  const run = await runRecipe(frugal, validateRecipe(recipe, frugal), { quiet: true });
  return { accuracy: run.evaluation?.accuracy ?? 0, details: run.result.details };
}
