// The recipes the bench runs: one per method, with the same model, optimiser and weak augmentation.
export const METHODS = ['supervised', 'pseudo-label', 'noisy-student', 'fixmatch'];

/** Weak augmentation: shifts by up to 2 pixels (+ horizontal flips for clothing, not for digits). */
function weakAugment(dataset) {
  const shift = { op: 'pad-crop', padding: 2 };
  return dataset === 'mnist' ? [shift] : [{ op: 'flip', p: 0.5 }, shift];
}

/** RandAugment with a random magnitude per draw (FixMatch's RA), filling with black (the images' background). */
const RAND_AUGMENT = { op: 'rand-augment', n: 2, m: 10, mstd: 101, fill: 0 };
/** Noisy Student's input noise: the same, at magnitudes up to 6 (students of 300 steps underfit at 10). */
const STUDENT_RAND_AUGMENT = { ...RAND_AUGMENT, m: 6 };

const OPTIMIZER = { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };

/**
 * Budgets at scale 1 (the labelled set is 100 images: 4 steps an epoch at batch 32):
 * - supervised, and every teacher: 125 epochs = 500 steps of 32 labelled images;
 * - pseudo-label and Noisy Student students: 5 epochs × 60 steps of 32 labelled + 96 pseudo-labelled;
 * - FixMatch: 10 epochs × 100 steps of 16 labelled + 7 × 16 unlabelled (weak and strong views),
 *   evaluated with an exponential moving average of the weights. (The paper's decay 0.999 suits its
 *   million steps; after 1,000 steps it would still hold e^-1 of the random initial weights.)
 */
export function recipeFor(method, seed, { dataset, labelledPerClass, scale, trainLimit, testLimit, model = 'resnet8-w0.5' }) {
  const s = (n) => Math.max(1, Math.round(n * scale));
  const base = {
    seed,
    data: {
      dataset: trainLimit ? 'limited' : dataset,
      params: trainLimit ? { dataset, trainLimit } : {},
      labelledPerClass,
      ...(testLimit ? { testLimit } : {}),
    },
    model: { name: model, params: {} },
    augment: weakAugment(dataset),
    train: { epochs: s(125), batchSize: 32, optimizer: OPTIMIZER, schedule: { name: 'cosine' }, checkpointEvery: 100000 },
  };
  const students = { ...base, train: { ...base.train, epochs: 5 } };
  // A teacher trained on 100 images is rarely confident: take the 1,000 most confident images of
  // each predicted class (Noisy Student's balancing), above a low threshold.
  const pseudo = { confidenceThreshold: 0.3, balance: 'top-k', perClass: 1000, unlabelledRatio: 3, teacherEpochs: s(125), stepsPerEpoch: s(60) };
  switch (method) {
    case 'supervised':
      return { ...base, strategy: { name: 'supervised' } };
    case 'pseudo-label':
      return { ...students, strategy: { name: 'pseudo-label', params: { ...pseudo, studentInit: 'teacher' } } };
    case 'noisy-student':
      return {
        ...students,
        strategy: {
          name: 'noisy-student',
          params: {
            ...pseudo,
            iterations: 3,
            noise: { augment: [STUDENT_RAND_AUGMENT], dropout: 0.2, stochasticDepthRate: 0.1 },
            // Generation 0 is the supervised baseline's recipe; the students carry the noise and
            // start from their teacher's weights (300 steps are too few to start afresh).
            teacherNoise: false,
            studentInit: 'teacher',
          },
        },
      };
    case 'fixmatch':
      return {
        ...students,
        train: { ...students.train, epochs: 10, batchSize: 16, emaDecay: 0.99 },
        strategy: {
          name: 'fixmatch',
          params: {
            confidenceThreshold: 0.95,
            unlabelledRatio: 7,
            unlabelledWeight: 1,
            stepsPerEpoch: s(100),
            strongAugment: [RAND_AUGMENT, { op: 'cutout', size: 0.5, fill: 0.5 }],
          },
        },
      };
    default:
      throw new Error(`Unknown method "${method}"`);
  }
}
