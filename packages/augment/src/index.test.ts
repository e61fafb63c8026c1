import { createFrugal, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { augment, buildPipeline } from './index.js';
import { distinctSamples, frugalWithAugment, leakedBy, maxDiff, randomImages, sameImages, take, useCpu } from './test-utils.js';

beforeAll(useCpu);

/** Parameters for entries that need some (compositions), or that are deterministic per image (p < 1 makes samples differ). */
const PARAMS: Record<string, Record<string, unknown>> = {
  sequence: { ops: ['rotate', 'brightness'] },
  'one-of': { ops: ['rotate', 'invert'] },
  'some-of': { ops: ['rotate', 'invert', 'posterize'], n: [1, 2] },
  'random-order': { ops: ['rotate', 'invert'] },
  invert: { p: 0.5 },
  equalize: { p: 0.5 },
  autocontrast: { p: 0.5 },
  grayscale: { p: 0.5 },
  solarize: { threshold: [0.2, 0.9] },
  'rand-augment': { opProbability: 1 },
};

describe('@frugal/augment plugin', () => {
  it('registers its entries only when loaded (nothing at import)', () => {
    const frugal = frugalWithAugment();
    expect(frugal.augmentations.names()).toEqual(
      expect.arrayContaining(['flip', 'rotate', 'rand-augment', 'trivial-augment-wide', 'auto-augment', 'mixup', 'cutmix', 'one-of']),
    );
    expect(frugal.augmentations.get('rotate').plugin).toBe('@frugal/augment');
    expect(createFrugal().augmentations.names()).toEqual([]);
  });

  it('can register a subset, and says which names it does not know', () => {
    expect(createFrugal({ plugins: [augment({ only: ['flip', 'rotate'] })] }).augmentations.names()).toEqual(['flip', 'rotate']);
    expect(() => createFrugal({ plugins: [augment({ only: ['flop'] })] })).toThrow(/unknown entries in "only": flop/);
  });

  it('validates parameters with messages naming the field and value', () => {
    const frugal = frugalWithAugment();
    expect(() => frugal.augmentations.create('rotate', { degrees: 'lots' })).toThrow(/augmentation\.rotate\.degrees/);
    expect(() => frugal.augmentations.create('flip', { p: 2 })).toThrow(/augmentation\.flip\.p: got 2/);
  });

  it('every entry takes a probability p, as a recipe spec may give one', () => {
    const frugal = frugalWithAugment();
    for (const name of frugal.augmentations.names()) {
      expect(frugal.augmentations.parse(name, { ...PARAMS[name], p: 0.5 })).toMatchObject({ p: 0.5 });
    }
  });

  const names = frugalWithAugment().augmentations.names();
  describe.each(names)('%s', (name) => {
    const build = (seed = 5) => frugalWithAugment(seed).augmentations.create(name, PARAMS[name] ?? {});

    it('keeps shape and range, differs across the batch, repeats with the seed, and frees its tensors', () => {
      const aug = build();
      // Mixing identical images changes nothing, so batch-level ops get different images.
      const mixes = aug.applyBatch !== undefined;
      const input = mixes ? randomImages(8, 12, 12, 3) : sameImages(8, 12, 12, 3);
      const first = aug.apply(input, new Rng(11));
      expect(first.shape).toEqual([8, 12, 12, 3]);
      const values = take(first);
      expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...values)).toBeLessThanOrEqual(1);
      if (!mixes) expect(distinctSamples(values, 8)).toBeGreaterThan(1);
      else expect(maxDiff(values, input.dataSync())).toBeGreaterThan(0);
      const again = take(build().apply(input, new Rng(11)));
      expect(maxDiff(values, again)).toBe(0);
      aug.apply(input, new Rng(12)).dispose();
      expect(leakedBy(() => aug.apply(input, new Rng(13)))).toBe(0);
      input.dispose();
    });
  });

  it('runs a recipe pipeline end to end without leaking tensors', () => {
    const frugal = frugalWithAugment();
    const pipeline = buildPipeline(frugal, [
      { op: 'pad-crop', padding: 2 },
      { op: 'flip', p: 0.5 },
      'rand-m9-n2-mstd0.5',
      { op: 'cutout', size: 0.25, p: 0.5 },
      { op: 'mixup', alpha: 0.4 },
    ]);
    const x = sameImages(6, 10, 10);
    const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 0, 1, 2], 'int32'), 3), 'float32') as tf.Tensor2D;
    const step = (s: number) => {
      const out = pipeline.applyBatch?.({ x, y }, new Rng(`step-${s}`));
      if (!out) throw new Error('the pipeline should mix batches');
      return [out.x, out.y];
    };
    tf.dispose(step(0));
    expect(leakedBy(() => step(1))).toBe(0);
    tf.dispose([x, y]);
  });
});
