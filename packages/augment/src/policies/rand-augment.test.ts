import { createFrugal, Rng, type FrugalPlugin, type Rng as RngType } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { augment } from '../plugin.js';
import { distinctSamples, frugalWithAugment, leakedBy, maxDiff, randomImages, sameImages, samples, take, useCpu } from '../test-utils.js';
import type { MagnitudeAugmentation } from '../types.js';

beforeAll(useCpu);

/**
 * A third-party plugin's op that takes part in RandAugment: it paints the red channel with the
 * magnitude level / 10, so the output shows both that it ran and at which level.
 */
const paintRed: FrugalPlugin = {
  name: '@acme/paint-red',
  register(registry) {
    registry.augmentation({
      name: 'paint-red',
      description: 'Sets the red channel to level / 10',
      params: z.strictObject({}),
      factory: (): MagnitudeAugmentation => {
        const paint = (images: tf.Tensor4D, levels: Float32Array) =>
          tf.tidy(() => {
            const [r, g, b] = tf.split(images, 3, 3);
            const red = tf.mul(tf.onesLike(r as tf.Tensor), tf.tensor4d(levels.map((l) => l / 10), [levels.length, 1, 1, 1]));
            return tf.concat([red, g as tf.Tensor, b as tf.Tensor], 3) as tf.Tensor4D;
          });
        return {
          name: 'paint-red',
          apply: (images) => paint(images, new Float32Array(images.shape[0]).fill(10)),
          applyAtMagnitude: (images: tf.Tensor4D, levels: Float32Array, _rng: RngType) => paint(images, levels),
        };
      },
    });
  },
};

describe('rand-augment', () => {
  it('uses an op registered by another plugin, by name, at the asked magnitude', () => {
    const frugal = createFrugal({ plugins: [augment(), paintRed], seed: 1 });
    const aug = buildPipeline(frugal, [{ op: 'rand-augment', n: 1, m: 5, opProbability: 1, ops: ['paint-red'] }]);
    const out = take(aug.apply(randomImages(4, 3, 3, 3), new Rng(1)));
    for (let i = 0; i < out.length; i += 3) expect(out[i]).toBeCloseTo(0.5, 6);
  });

  it('a third-party op is usable by name inside compositions too', () => {
    const frugal = createFrugal({ plugins: [augment(), paintRed] });
    const aug = buildPipeline(frugal, [{ op: 'one-of', ops: ['paint-red', { op: 'rand-augment', ops: ['paint-red', 'invert'] }] }]);
    aug.apply(sameImages(4), new Rng(1)).dispose();
  });

  it('uses another plugin\'s op by name when created straight from the registry (as a recipe does)', () => {
    const frugal = createFrugal({ plugins: [augment(), paintRed] });
    const aug = frugal.augmentations.create('rand-augment', { n: 1, opProbability: 1, ops: ['paint-red'] });
    const x = sameImages(4);
    const out = aug.apply(x, new Rng(1));
    expect(out.shape).toEqual(x.shape);
    expect(maxDiff(take(out), x.dataSync())).toBeGreaterThan(0);
    x.dispose();
  });

  it('applies n ops per image: invert twice with certainty is the identity, once is 1 - x', () => {
    const frugal = frugalWithAugment();
    const x = randomImages(4, 3, 3, 3);
    const once = buildPipeline(frugal, [{ op: 'rand-augment', n: 1, opProbability: 1, ops: ['invert'] }]);
    const twice = buildPipeline(frugal, [{ op: 'rand-augment', n: 2, opProbability: 1, ops: ['invert'] }]);
    const none = buildPipeline(frugal, [{ op: 'rand-augment', n: 0 }]);
    const src = x.dataSync();
    expect(maxDiff(take(once.apply(x, new Rng(1))), Array.from(src, (v) => 1 - v))).toBeLessThan(1e-6);
    expect(maxDiff(take(twice.apply(x, new Rng(1))), src)).toBeLessThan(1e-6);
    expect(maxDiff(take(none.apply(x, new Rng(1))), src)).toBe(0);
    x.dispose();
  });

  it('draws magnitudes around m with mstd, clipped to [0, mmax]', () => {
    const frugal = createFrugal({ plugins: [augment(), paintRed] });
    const n = 64;
    const aug = buildPipeline(frugal, [{ op: 'rand-augment', n: 1, m: 9, mstd: 2, opProbability: 1, ops: ['paint-red'] }]);
    const reds = samples(take(aug.apply(sameImages(n, 1, 1, 3), new Rng(2))), n).map((s) => (s[0] as number) * 10);
    expect(Math.max(...reds)).toBeLessThanOrEqual(10);
    expect(Math.min(...reds)).toBeGreaterThanOrEqual(0);
    expect(new Set(reds.map((r) => r.toFixed(3))).size).toBeGreaterThan(20);
    const mean = reds.reduce((a, b) => a + b, 0) / n;
    expect(mean).toBeGreaterThan(7.5);
    expect(mean).toBeLessThan(9.5);
    const uniform = buildPipeline(frugal, [{ op: 'rand-augment', n: 1, m: 9, mstd: 101, opProbability: 1, ops: ['paint-red'] }]);
    const flat = samples(take(uniform.apply(sameImages(n, 1, 1, 3), new Rng(2))), n).map((s) => (s[0] as number) * 10);
    expect(Math.min(...flat)).toBeLessThan(2);
  });

  it('the timm string builds the same policy as its parameters', () => {
    const frugal = frugalWithAugment();
    const x = sameImages(8, 6, 6, 3);
    const fromString = take(buildPipeline(frugal, ['rand-m7-n3-mstd1-p0.8-inc1']).apply(x, new Rng(5)));
    const fromParams = take(
      buildPipeline(frugal, [{ op: 'rand-augment', m: 7, n: 3, mstd: 1, opProbability: 0.8, increasing: true }]).apply(x, new Rng(5)),
    );
    expect(maxDiff(fromString, fromParams)).toBe(0);
    x.dispose();
  });

  it("default timm ops: per-sample variety, values in range, same seed same output, no tensor left", () => {
    const frugal = frugalWithAugment();
    const aug = buildPipeline(frugal, ['rand-m9-n2-mstd0.5']);
    const x = sameImages(16, 12, 12, 3);
    const a = take(aug.apply(x, new Rng(3)));
    expect(distinctSamples(a, 16)).toBeGreaterThan(8);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThanOrEqual(1);
    expect(maxDiff(a, take(aug.apply(x, new Rng(3))))).toBe(0);
    expect(leakedBy(() => aug.apply(x, new Rng(4)))).toBe(0);
    x.dispose();
  });

  it('refuses batch-level ops among its per-image ops', () => {
    expect(() => buildPipeline(frugalWithAugment(), [{ op: 'rand-augment', ops: ['invert', 'mixup'] }])).toThrow(/"mixup" mixes whole batches/);
  });
});
