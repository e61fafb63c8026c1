import { join } from 'node:path';
import { createFrugal, runRecipe, validateRecipe, type RecipeInput } from '@frugal/core';
import { resnet } from '@frugal/models-resnet';
import { transfer } from '@frugal/transfer';
import { useBackend } from '@frugal/runtime-gpu';
import { mnistDigits } from './mnist-digits.js';

/**
 * Transfer learning: a network trained on digits 0-4 (plenty of labels) is reused for digits 5-9
 * (a few labels each), once as a frozen feature extractor (linear probe) and once fine-tuned.
 */
export async function transferDigits(workDir: string, { sourcePerClass = 300, targetPerClass = 10, testPerClass = 100, epochs = 10 } = {}) {
  await useBackend('auto');
  const frugal = () => createFrugal({ plugins: [mnistDigits(), resnet(), transfer()], seed: 1 });
  const model = { name: 'resnet20', params: { widthMultiplier: 0.25 } };
  const train = { epochs, batchSize: 25, optimizer: { name: 'adam' as const, lr: 0.01, weightDecay: 0 } };

  // 1. The source task, where labels are plentiful. Its run directory keeps the trained model.
  const sourceDir = join(workDir, 'digits-0-4');
  const source: RecipeInput = { data: { dataset: 'mnist-digits', params: { digits: [0, 1, 2, 3, 4], perClass: sourcePerClass, testPerClass } }, model, train };
  const f0 = frugal();
  await runRecipe(f0, validateRecipe(source, f0), { runDir: sourceDir, quiet: true });

  // 2. The target task: few labels. The new head reads the source network's `features` layer, and
  //    the images are normalised as the source network's were (`pretrained`: its model card's).
  const target = (params: Record<string, unknown>, epochsHere = epochs): RecipeInput => ({
    data: { dataset: 'mnist-digits', params: { digits: [5, 6, 7, 8, 9], perClass: targetPerClass, testPerClass }, normalization: 'pretrained' },
    model,
    train: { ...train, epochs: epochsHere },
    strategy: { name: 'transfer', params: { source: { type: 'saved-model', path: join(sourceDir, 'model') }, ...params } },
  });
  const accuracy = async (recipe: RecipeInput) => {
    const f = frugal();
    return (await runRecipe(f, validateRecipe(recipe, f), { quiet: true })).evaluation?.accuracy ?? 0;
  };
  return {
    // Frozen backbone: only the new head trains, on features computed once and cached — cheap
    // enough for five times the epochs.
    linearProbe: await accuracy(target({ mode: 'linear-probe' }, epochs * 5)),
    // Everything trains; the backbone at a tenth of the head's learning rate.
    fineTune: await accuracy(target({ mode: 'fine-tune', lrMultiplier: 10 })),
  };
}
