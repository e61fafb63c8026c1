// The recipes of the bench. Source: a ResNet-8 trained on some Fashion-MNIST classes (default 0-4).
// Target: other classes (default 5-9) with 10 labelled images per class, the rest of the target's
// training images unlabelled.
export const METHODS = ['scratch', 'linear-probe', 'fine-tune', 'student', 'distilled'];

const OPTIMIZER = { name: 'sgd', lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 5e-4 };
export function sourceRecipe({ sourceClasses, sourcePerClass, sourceEpochs, width }) {
  return {
    seed: 1000,
    data: { dataset: 'fashion-classes', params: { classes: sourceClasses, trainPerClass: sourcePerClass, testPerClass: 200 } },
    model: { name: 'resnet8', params: { widthMultiplier: width } },
    train: { epochs: sourceEpochs, batchSize: 64, optimizer: OPTIMIZER, schedule: { name: 'cosine' }, checkpointEvery: 100000 },
  };
}

/**
 * One method's recipe for one seed. Scratch, fine-tune and the student alone train for `epochs`
 * epochs of the 50 labelled images (2 steps of 25; more epochs do not help them: they fit the 50
 * images); linear-probe for 5 times as many; the distilled student sees labelled + unlabelled
 * images for `distillEpochs` epochs (batches of 50).
 */
export function targetRecipe(method, seed, o) {
  const { targetClasses, unlabelledPerClass, testPerClass, epochs, distillEpochs, width, studentWidth, sourceModel, teacherModel } = o;
  const base = {
    seed,
    data: {
      dataset: 'fashion-classes',
      params: { classes: targetClasses, trainPerClass: 10 + unlabelledPerClass, testPerClass },
      labelledPerClass: 10,
    },
    model: { name: 'resnet8', params: { widthMultiplier: width } },
    train: { epochs, batchSize: 25, optimizer: OPTIMIZER, schedule: { name: 'cosine' }, checkpointEvery: 100000 },
  };
  const source = { type: 'saved-model', path: sourceModel };
  switch (method) {
    case 'scratch':
      return base;
    case 'linear-probe':
      // the head alone on cached features: epochs cost next to nothing, so it gets 5 times as many,
      // at a head learning rate of 0.5 without weight decay
      return {
        ...base,
        strategy: { name: 'transfer', params: { mode: 'linear-probe', source, lrHead: 0.5 } },
        train: { ...base.train, epochs: epochs * 5, optimizer: { ...OPTIMIZER, weightDecay: 0 } },
      };
    case 'fine-tune':
      return { ...base, strategy: { name: 'transfer', params: { mode: 'fine-tune', source, lrMultiplier: 10 } } };
    case 'student':
      return { ...base, model: { name: 'resnet8', params: { widthMultiplier: studentWidth } } };
    case 'distilled':
      return {
        ...base,
        model: { name: 'resnet8', params: { widthMultiplier: studentWidth } },
        strategy: { name: 'distill', params: { teacher: { type: 'saved-model', path: teacherModel }, temperature: 4, alpha: 0.9 } },
        train: { ...base.train, epochs: distillEpochs, batchSize: 50 },
      };
    default:
      throw new Error(`Unknown method "${method}"`);
  }
}
