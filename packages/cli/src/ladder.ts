import type { RecipeInput } from '@frugal/core';

export interface Rung {
  name: string;
  dir: string;
  explain: string;
  usesUnlabelled: boolean;
  recipe: RecipeInput;
}

/** The rungs of the demo ladder, each a complete recipe (also written into its run directory). */
export function ladderRungs(options: { labelledPerClass: number; seed: number; quick: boolean; root: string }): Rung[] {
  const { labelledPerClass, seed, quick } = options;
  const epochs = quick ? 2 : 30;
  const data = { dataset: 'mnist', labelledPerClass, params: { testPerClass: quick ? 20 : 200 } };
  const model = { name: 'resnet20', params: { widthMultiplier: 0.5 } };
  const train = { epochs, batchSize: 32, optimizer: { name: 'sgd' as const, lr: 0.05, weightDecay: 5e-4 } };
  const augment = [
    { op: 'pad-crop', padding: 2 },
    { op: 'rotate', degrees: 15 },
  ];
  return [
    {
      name: 'supervised',
      dir: '1-supervised',
      explain: 'the labelled images only, no augmentation',
      usesUnlabelled: false,
      recipe: { name: 'supervised', seed, data, model, train },
    },
    {
      name: '+ augmentation',
      dir: '2-augmentation',
      explain: 'the same, seeing randomly shifted and rotated versions of each image',
      usesUnlabelled: false,
      recipe: { name: 'augmentation', seed, data, model, train, augment },
    },
  ];
}
