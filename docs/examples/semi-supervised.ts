import { createFrugal, runRecipe, validateRecipe, type RecipeInput } from '@frugal/core';
import { augment } from '@frugal/augment';
import { resnet } from '@frugal/models-resnet';
import { useBackend } from '@frugal/runtime-gpu';
import { semiSupervised } from '@frugal/semi-supervised';
import { mnistDigits } from './mnist-digits.js';

/**
 * Unlabelled data: a few labelled digits and many unlabelled ones. Pseudo-labelling keeps the
 * teacher's confident guesses; Noisy Student trains noised, equal-or-larger students in turn.
 */
export async function semiSupervisedDigits({ labelledPerClass = 10, perClass = 200, testPerClass = 100, epochs = 10 } = {}) {
  await useBackend('auto');
  const run = async (strategy: RecipeInput['strategy']) => {
    const frugal = createFrugal({ plugins: [mnistDigits(), augment(), resnet(), semiSupervised()], seed: 5 });
    const recipe: RecipeInput = {
      data: { dataset: 'mnist-digits', labelledPerClass, params: { digits: [0, 1, 2, 3, 4], perClass, testPerClass } },
      model: { name: 'resnet20', params: { widthMultiplier: 0.25 } },
      train: { epochs, batchSize: 25, optimizer: { name: 'adam', lr: 0.01, weightDecay: 0 } },
      strategy,
    };
    return (await runRecipe(frugal, validateRecipe(recipe, frugal), { quiet: true })).evaluation?.accuracy ?? 0;
  };

  return {
    pseudoLabel: await run({
      name: 'pseudo-label',
      // Keep a teacher guess only when its top probability is at least 0.9; one-hot labels.
      params: { confidenceThreshold: 0.9, labels: 'hard' },
    }),
    noisyStudent: await run({
      name: 'noisy-student',
      params: {
        confidenceThreshold: 0.5,
        // Teacher first, then a wider student: it has to absorb the teacher's knowledge plus more data.
        models: ['resnet20', 'resnet32'],
        iterations: 1,
        // Noise on the student: RandAugment on its inputs, dropout and stochastic depth in the model.
        noise: { augment: [{ op: 'rand-augment', n: 2, m: 9 }], dropout: 0.3, stochasticDepthRate: 0.1 },
      },
    }),
  };
}
