import { describe, expect, it } from 'vitest';
import { rungSchema, type RungInput } from './ladder-schema.js';
import { rungRecipes } from './rung-recipes.js';

const base = { data: { dataset: 'mnist' }, model: { name: 'resnet8' } };
const recipesOf = (rungs: RungInput[]) => rungRecipes(base, rungs.map((r) => rungSchema.parse(r)), '/runs/l', 0, 'l.yaml');
const distill = { name: 'distill', params: { temperature: 1 } };

describe('rungRecipes', () => {
  it('makes a rung\'s teacher the model of the rung it names, or an ensemble of the rungs it lists', () => {
    const [, , one, both] = recipesOf([
      { name: 'a' },
      { name: 'b', start: 'fresh' },
      { name: 'one', strategy: distill, teacher: 'previous' },
      { name: 'both', strategy: distill, teacher: ['a', 'b'], start: 'a' },
    ]);
    expect(one?.recipe['strategy']).toEqual({ name: 'distill', params: { temperature: 1, teacher: { type: 'saved-model', path: '/runs/l/2-b/model' } } });
    expect(both?.recipe['strategy']).toEqual({
      name: 'distill',
      params: {
        temperature: 1,
        teacher: {
          type: 'ensemble',
          members: [
            { type: 'saved-model', path: '/runs/l/1-a/model' },
            { type: 'saved-model', path: '/runs/l/2-b/model' },
          ],
        },
      },
    });
    expect((both?.recipe['model'] as { init: string }).init).toBe('/runs/l/1-a/model');
  });

  it('says which rungs each rung waits for: the one it starts from and its teachers', () => {
    const after = recipesOf([
      { name: 'a' },
      { name: 'b', start: 'fresh' },
      { name: 'c' },
      { name: 'both', strategy: distill, teacher: ['a', 'b'], start: 'a' },
      { name: 'taught', strategy: distill, teacher: 'c', start: 'fresh' },
    ]).map((r) => r.after);
    expect(after).toEqual([[], [], [1], [0, 1], [2]]);
  });

  it('names the member of an ensemble that is no rung above', () => {
    expect(() => recipesOf([{ name: 'a' }, { name: 'both', strategy: distill, teacher: ['a', 'c'] }])).toThrow(
      'l.yaml: rung "both" teacher: "c" is not the name of a rung above it; give "previous" or the name of an earlier rung',
    );
  });

  it('refuses an ensemble that names a rung twice, a distill rung without a teacher, and a ladder of preparations only', () => {
    expect(() => recipesOf([{ name: 'a' }, { name: 'twice', strategy: distill, teacher: ['a', 'a'] }])).toThrow(
      'l.yaml: rung "twice" teacher: "a" is named twice; an ensemble\'s members are different rungs',
    );
    expect(() => recipesOf([{ name: 'a' }, { name: 'untaught', strategy: distill }])).toThrow(
      'l.yaml: rung "untaught" distils, and names no teacher; give the rung teacher: previous (the rung above), or the name of an earlier rung',
    );
    expect(() => recipesOf([{ name: 'p', preparation: true }])).toThrow(
      'l.yaml: every rung is a preparation (preparation: true), so the ladder would report nothing; add a rung that trains a classifier from them',
    );
  });
});
