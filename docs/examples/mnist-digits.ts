import { subset, type DatasetSource, type FrugalPlugin, type ImageSet } from '@frugal/core';
import { loadMnist } from '@frugal/data';
import { z } from 'zod';

/** Keeps the images of `digits` (at most `perClass` of each), relabelled 0..k-1 in that order. */
function pickDigits(set: ImageSet, digits: readonly number[], perClass: number): ImageSet {
  const taken = new Map<number, number>();
  const indices: number[] = [];
  set.labels.forEach((label, i) => {
    const n = taken.get(label) ?? 0;
    if (digits.includes(label) && n < perClass) {
      taken.set(label, n + 1);
      indices.push(i);
    }
  });
  const picked = subset(set, Int32Array.from(indices));
  const labels = picked.labels.map((label) => digits.indexOf(label));
  return { ...picked, labels, classNames: digits.map(String) };
}

/**
 * A dataset plugin: some of the embedded MNIST digits, as a smaller task. `mnist-digits` with
 * `digits: [5, 6, 7, 8, 9]` is a five-class problem whose labels are 0..4.
 */
export function mnistDigits(): FrugalPlugin {
  return {
    name: 'mnist-digits',
    register(registry) {
      registry.dataset({
        name: 'mnist-digits',
        description: 'Some digits of the embedded MNIST, at most perClass training images of each',
        params: z.strictObject({
          digits: z.array(z.number().int().min(0).max(9)).min(2),
          perClass: z.number().int().min(1).default(500),
          testPerClass: z.number().int().min(1).default(100),
        }),
        factory: async ({ digits, perClass, testPerClass }): Promise<DatasetSource> => {
          const mnist = await loadMnist({ testPerClass });
          return {
            name: `mnist-digits ${digits.join(',')}`,
            train: pickDigits(mnist.train, digits, perClass),
            test: mnist.test && pickDigits(mnist.test, digits, testPerClass),
            classNames: digits.map(String),
            normalization: mnist.normalization,
          };
        },
      });
    },
  };
}
