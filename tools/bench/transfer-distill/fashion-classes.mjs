// `fashion-classes`: some classes of Fashion-MNIST (Debian's IDX files), relabelled 0..k-1, with a
// fixed, class-balanced number of training and test images per class. The source task takes
// classes 0-4 (T-shirt/top, trouser, pullover, dress, coat), the target task classes 5-9 (sandal,
// shirt, sneaker, bag, ankle boot): no class is shared.
import { Rng, subset } from '@frugal/core';
import { loadFashionMnist } from '@frugal/data';
import { z } from 'zod';

function pick(set, classes, perClass, rng) {
  const byClass = classes.map(() => []);
  set.labels.forEach((y, i) => {
    const k = classes.indexOf(y);
    if (k >= 0) byClass[k].push(i);
  });
  const indices = [];
  const labels = [];
  byClass.forEach((list, k) => {
    if (list.length < perClass) throw new Error(`class ${classes[k]} has ${list.length} images, fewer than ${perClass}`);
    for (const i of rng.child(`class-${k}`).shuffle(list).slice(0, perClass)) {
      indices.push(i);
      labels.push(k);
    }
  });
  return { ...subset(set, indices, Int32Array.from(labels)), classNames: classes.map((c) => set.classNames[c]) };
}

export function fashionClasses() {
  return {
    name: '@frugal/bench-fashion-classes',
    register(r) {
      r.dataset({
        name: 'fashion-classes',
        description: 'some Fashion-MNIST classes, relabelled, with a fixed number of images per class',
        params: z.strictObject({
          classes: z.array(z.number().int().min(0).max(9)).min(2),
          trainPerClass: z.number().int().min(1),
          testPerClass: z.number().int().min(1),
        }),
        factory: async (p) => {
          const source = await loadFashionMnist({ download: false });
          const rng = new Rng(`fashion-classes/${p.classes.join(',')}`);
          const train = pick(source.train, p.classes, p.trainPerClass, rng.child('train'));
          const test = pick(source.test, p.classes, p.testPerClass, rng.child('test'));
          return { name: 'fashion-classes', train, test, classNames: train.classNames, normalization: source.normalization };
        },
      });
    },
  };
}
