import { createFrugal, Rng, type FrugalPlugin } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { augment } from '../plugin.js';
import { samples, take, useCpu } from '../test-utils.js';

beforeAll(useCpu);

/** A third-party op without a `p` of its own: blackens images. */
const blackout: FrugalPlugin = {
  name: '@acme/blackout',
  register(registry) {
    registry.augmentation({
      name: 'blackout',
      description: 'Sets every pixel to 0',
      params: z.strictObject({}),
      factory: () => ({ name: 'blackout', apply: (images) => tf.zerosLike(images) }),
    });
  },
};

describe('probability per op', () => {
  it('applies an op to about p of the samples, whether the op owns p or not', () => {
    const frugal = createFrugal({ plugins: [augment(), blackout], seed: 3 });
    const n = 64;
    for (const op of ['invert', 'blackout']) {
      const x = tf.fill([n, 1, 1, 1], 0.25) as tf.Tensor4D;
      const aug = buildPipeline(frugal, [{ op, p: 0.25 }]);
      const changed = samples(take(aug.apply(x, new Rng(op))), n).filter((s) => s[0] !== 0.25).length;
      expect(changed).toBeGreaterThan(6);
      expect(changed).toBeLessThan(28);
      x.dispose();
    }
  });

  it('p = 0 leaves every sample as it is', () => {
    const frugal = createFrugal({ plugins: [augment(), blackout] });
    const x = tf.fill([8, 1, 1, 1], 0.25) as tf.Tensor4D;
    for (const v of take(buildPipeline(frugal, [{ op: 'blackout', p: 0 }, { op: 'rotate', p: 0 }]).apply(x, new Rng(1)))) expect(v).toBe(0.25);
    x.dispose();
  });
});
