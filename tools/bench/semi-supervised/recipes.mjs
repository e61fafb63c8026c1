// The recipes the bench runs: one per method, with the same model and optimiser.
export const METHODS = ['supervised', 'supervised-augmented', 'pseudo-label', 'noisy-student', 'fixmatch'];

/** Weak augmentation: shifts by up to 2 pixels (+ horizontal flips for clothing, not for digits). */
function weakAugment(dataset) {
  const shift = { op: 'pad-crop', padding: 2 };
  return dataset === 'mnist' ? [shift] : [{ op: 'flip', p: 0.5 }, shift];
}

/** RandAugment with a random magnitude per draw (FixMatch's RA), filling with black (the images' background). */
const RAND_AUGMENT = { op: 'rand-augment', n: 2, m: 10, mstd: 101, fill: 0 };
/** Supervised training's RandAugment, at magnitudes up to 6 (1,000 steps underfit at 10). */
const LABELLED_RAND_AUGMENT = { ...RAND_AUGMENT, m: 6 };

const OPTIMIZER = { name: 'sgd', lr: 0.03, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };

/**
 * Budgets at scale 1 (the labelled set is 100 images: 4 steps an epoch at batch 32):
 * - supervised: 125 epochs = 500 steps of 32 labelled images, no augmentation;
 * - supervised-augmented: 250 epochs = 1,000 steps with the weak augmentation and RandAugment
 *   (71.6% on seeds 0 and 1, against 66.5% for 500 steps of the weak augmentation alone). It is the
 *   teacher of pseudo-label and Noisy Student, and FixMatch's warm-up;
 * - pseudo-label and Noisy Student students: 8 epochs × 60 steps of 32 labelled + 96 pseudo-labelled
 *   (the 2,000 most confident images of each predicted class), from their teacher's weights;
 * - FixMatch: a warm-up like supervised-augmented (1,000 steps, of 16 images), then 40 epochs ×
 *   100 steps of 16 labelled + 7 × 16 unlabelled images (weak and strong views), with FreeMatch's
 *   self-adaptive thresholds (at 10 labels a class a fixed τ = 0.95 admits too few pseudo-labels
 *   early on: 71.1% after 1,200 steps against 72.6% self-adaptive, seed 0), evaluated with an
 *   exponential moving average of the weights. (The paper's decay 0.999 suits its million steps;
 *   after 1,000 steps it would still hold e^-1 of the random initial weights.)
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
  const augmented = { ...base, augment: [...weakAugment(dataset), LABELLED_RAND_AUGMENT] };
  const students = { ...augmented, train: { ...base.train, epochs: 8 } };
  // A teacher trained on 100 images is rarely confident: take the 2,000 most confident images of
  // each predicted class (Noisy Student's balancing), above a low threshold.
  const pseudo = { confidenceThreshold: 0.3, balance: 'top-k', perClass: 2000, unlabelledRatio: 3, teacherEpochs: s(250), stepsPerEpoch: s(60) };
  switch (method) {
    case 'supervised':
      return { ...base, augment: [], strategy: { name: 'supervised' } };
    case 'supervised-augmented':
      return { ...augmented, train: { ...base.train, epochs: s(250) }, strategy: { name: 'supervised' } };
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
            // The input noise is the recipe's RandAugment, which the teacher had too; the students add
            // dropout and stochastic depth, and start from their teacher's weights (480 steps are too
            // few to start afresh). The teacher pseudo-labels clean images.
            noise: { augment: [], dropout: 0.2, stochasticDepthRate: 0.1 },
            teacherNoise: false,
            studentInit: 'teacher',
          },
        },
      };
    case 'fixmatch':
      return {
        ...students,
        ...augmented,
        train: { ...base.train, epochs: 40, batchSize: 16, emaDecay: 0.99 },
        strategy: {
          name: 'fixmatch',
          params: {
            supervisedEpochs: s(145), // ~1,000 steps of 16 labelled images (7 steps an epoch)
            weakAugment: weakAugment(dataset),
            confidenceThreshold: 'self-adaptive',
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

/** Applies `path=json` overrides to a recipe object. */
export function applyOverrides(recipe, sets) {
  for (const item of sets) {
    const eq = item.indexOf('=');
    if (eq < 0) throw new Error(`--set ${item}: expected path=value`);
    const path = item.slice(0, eq).split('.');
    const raw = item.slice(eq + 1);
    let value;
    try {
      value = JSON.parse(raw);
    } catch {
      value = raw;
    }
    let node = recipe;
    for (const key of path.slice(0, -1)) node = node[key] ??= {};
    node[path[path.length - 1]] = value;
  }
  return recipe;
}
