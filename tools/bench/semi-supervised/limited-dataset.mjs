// `limited`: a dataset of the registry cut to a class-balanced subset of its training set, for
// shorter runs (Noisy Student labels every unlabelled image at every generation).
import { Rng, subset } from '@frugal/core';
import { loadFashionMnist, loadMnist } from '@frugal/data';
import { z } from 'zod';

const LOADERS = { 'fashion-mnist': () => loadFashionMnist({ download: false }), mnist: () => loadMnist() };

export function limitedDataset() {
  return {
    name: '@frugal/bench-limited-dataset',
    register(r) {
      r.dataset({
        name: 'limited',
        description: 'a class-balanced subset of the training set of fashion-mnist or mnist (the test set is kept whole)',
        params: z.strictObject({ dataset: z.enum(['fashion-mnist', 'mnist']), trainLimit: z.number().int().min(10) }),
        factory: async (p) => {
          const source = await LOADERS[p.dataset]();
          const { train } = source;
          const numClasses = train.classNames.length;
          const byClass = Array.from({ length: numClasses }, () => []);
          train.labels.forEach((y, i) => byClass[y].push(i));
          const rng = new Rng('limited-dataset');
          const per = Math.floor(p.trainLimit / numClasses);
          const keep = byClass.flatMap((indices, y) => rng.child(`class-${y}`).shuffle(indices).slice(0, per)).sort((a, b) => a - b);
          return { ...source, train: subset(train, keep) };
        },
      });
    },
  };
}
