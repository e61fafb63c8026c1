import { Rng, isInputError } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalWithAugment, maxDiff, randomImages, take, useCpu } from '../test-utils.js';
import { buildPipeline } from './build.js';
import { pipelineSpecSchema } from './spec.js';

beforeAll(useCpu);

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('buildPipeline', () => {
  it('turns recipe specs into one augmentation: names, objects with params and p, timm strings', () => {
    const frugal = frugalWithAugment();
    const aug = buildPipeline(frugal, [{ op: 'flip', p: 1 }, 'invert', { op: 'rand-augment', n: 2, m: 9 }, 'rand-m9-n2']);
    expect(aug.name).toBe('pipeline');
    aug.apply(randomImages(4), new Rng(1)).dispose();
    const flipInvert = buildPipeline(frugal, [{ op: 'flip', p: 1 }, 'invert']);
    const x = randomImages(2, 3, 3, 1);
    const expected = take(tf.tidy(() => tf.sub(1, tf.reverse(x, 2))));
    expect(maxDiff(take(flipInvert.apply(x, new Rng(1))), expected)).toBeLessThan(1e-6);
    x.dispose();
  });

  it('an empty list is the identity', () => {
    const x = randomImages(2);
    const out = buildPipeline(frugalWithAugment(), []).apply(x, new Rng(1));
    expect(out).not.toBe(x);
    expect(maxDiff(take(out), x.dataSync())).toBe(0);
    x.dispose();
  });

  it('names the bad field, its value and the rule — nested specs included', () => {
    const frugal = frugalWithAugment();
    const bad = errorOf(() => buildPipeline(frugal, ['flip', { op: 'rotate', degrees: [40, 10] }]));
    expect(isInputError(bad)).toBe(true);
    expect(bad.message).toMatch(/^augment\[1\] \(rotate\)\.degrees: got \[40,10\]; expected \[min, max\] with min <= max/);
    const nested = errorOf(() => buildPipeline(frugal, [{ op: 'one-of', ops: ['flip', { op: 'cutout', size: 3 }] }]));
    expect(nested.message).toMatch(/^augment\[0\]\.ops\[1\] \(cutout\)\.size: got 3/);
    const unknownKey = errorOf(() => buildPipeline(frugal, [{ op: 'flip', angle: 3 }]));
    expect(unknownKey.message).toMatch(/augment\[0\] \(flip\): unknown key "angle"/);
    const shape = errorOf(() => buildPipeline(frugal, [{ degrees: 3 }]));
    expect(shape.message).toMatch(/augment\[0\]/);
  });

  it('lists the known names for an unknown op', () => {
    const error = errorOf(() => buildPipeline(frugalWithAugment(), [{ op: 'rotat' }]));
    expect(isInputError(error)).toBe(true);
    expect(error.message).toMatch(/augment\[0\]: unknown augmentation "rotat" \(did you mean "rotate"\?\)\. Registered augmentations: .*rotate/);
  });

  it('exports the spec schema for recipes', () => {
    expect(pipelineSpecSchema.safeParse(['flip', { op: 'rotate', degrees: 10, p: 0.5 }]).success).toBe(true);
    expect(pipelineSpecSchema.safeParse([{ op: 'flip', p: 3 }]).success).toBe(false);
    expect(pipelineSpecSchema.safeParse('flip').success).toBe(false);
  });
});
