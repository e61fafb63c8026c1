import { createFrugal, isInputError, Rng, validateRecipe, type Augmentation, type FrugalPlugin } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { tinyPlugin } from '@frugal/core/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { augment } from '../plugin.js';
import { randomImages, take, useCpu } from '../test-utils.js';
import { sequenceOf } from '../compose/sequence.js';
import { buildPipeline } from './build.js';

beforeAll(useCpu);

const specs = ['rand-m9-n2-mstd0.5', { op: 'rotate', degrees: 20, p: 0.5 }, 'flip'];
const recipe = (augmentList: unknown) => ({
  data: { dataset: 'stripes' },
  model: { name: 'tiny-staged' },
  augment: augmentList,
});

describe('one augmentation spec everywhere', () => {
  it('a recipe, a strategy view and code build the same augmentations from text forms and p on any op', () => {
    const frugal = createFrugal({ plugins: [augment(), tinyPlugin()] });
    const validated = validateRecipe(recipe(specs), frugal);
    expect(validated.augment[0]).toMatchObject({ op: 'rand-augment', m: 9, n: 2, mstd: 0.5 });
    expect(validated.augment[1]).toMatchObject({ op: 'rotate', degrees: [-20, 20], p: 0.5 });
    const fromRecipe = frugal.augmentations.build(validated.augment);
    const fromView = frugal.augmentations.build(specs, 'strategy.params.strongAugment');
    const fromCode = buildPipeline(frugal, specs);
    const x = randomImages(6, 8, 8, 3);
    const apply = (pipeline: ReturnType<typeof frugal.augmentations.build>) => take(sequenceOf(pipeline, 'pipeline').apply(x, new Rng(5)));
    const a = apply(fromRecipe);
    expect(apply(fromView)).toEqual(a);
    expect(take(fromCode.apply(x, new Rng(5)))).toEqual(a);
    expect(a).not.toEqual(take(x.clone()));
    x.dispose();
  });

  it('suggests the registered name for a near miss, in a recipe and in a strategy view alike', () => {
    const frugal = createFrugal({ plugins: [augment(), tinyPlugin()] });
    const fromRecipe = (() => {
      try {
        validateRecipe(recipe(['trivial-augment']), frugal);
      } catch (error) {
        return error as Error;
      }
      throw new Error('expected an error');
    })();
    expect(isInputError(fromRecipe)).toBe(true);
    expect(fromRecipe.message).toMatch(/^recipe\.augment\[0\]: unknown augmentation "trivial-augment" \(did you mean "trivial-augment-wide"\?\)/);
    expect(() => frugal.augmentations.build([{ op: 'trivial-augment' }], 'strategy.params.strongAugment')).toThrow(
      /^strategy\.params\.strongAugment\[0\]: unknown augmentation "trivial-augment" \(did you mean "trivial-augment-wide"\?\)/,
    );
  });

  it('rejects a bad text form with the section it could not read', () => {
    const frugal = createFrugal({ plugins: [augment(), tinyPlugin()] });
    expect(() => validateRecipe(recipe(['rand-m9-x3']), frugal)).toThrow(/recipe\.augment\[0\]: unknown section "x3" in "rand-m9-x3"/);
  });

  it('applies p to an op that does not take it (a third-party one), through the recipe as through code', () => {
    const negate: FrugalPlugin = {
      name: 'negate-plugin',
      register: (r) =>
        r.augmentation({
          name: 'negate',
          description: 'one minus every pixel',
          params: z.strictObject({}),
          factory: () => ({ name: 'negate', apply: (images) => tf.sub(1, images) as tf.Tensor4D }),
        }),
    };
    const frugal = createFrugal({ plugins: [augment(), tinyPlugin(), negate] });
    const [never] = frugal.augmentations.build(validateRecipe(recipe([{ op: 'negate', p: 0 }]), frugal).augment);
    const [always] = frugal.augmentations.build(['negate']);
    const x = randomImages(4, 4, 4, 1);
    expect(take((never as Augmentation).apply(x, new Rng(1)))).toEqual(take(x.clone()));
    expect(take((always as Augmentation).apply(x, new Rng(1)))).toEqual(take(tf.sub(1, x)));
    x.dispose();
    const bare = createFrugal({ plugins: [tinyPlugin(), negate] });
    expect(() => bare.augmentations.build([{ op: 'negate', p: 0.5 }])).toThrow(/augment\[0\] \(negate\)\.p: .*needs @frugal\/augment/);
  });
});
