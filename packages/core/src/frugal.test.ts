import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { createFrugal, type FrugalPlugin } from './index.js';

const dummyModel = (name: string): FrugalPlugin => ({
  name,
  register(r) {
    r.model({
      name: 'tiny',
      description: 'a tiny model',
      params: z.strictObject({ width: z.number().int().min(1).default(4) }),
      factory: () => {
        throw new Error('not built in this test');
      },
    });
  },
});

describe('createFrugal', () => {
  it('registers plugins and lists entries', () => {
    const frugal = createFrugal({ plugins: [dummyModel('@acme/a')], seed: 1 });
    expect(frugal.models.names()).toEqual(['tiny']);
    expect(frugal.models.get('tiny').plugin).toBe('@acme/a');
  });

  it('names both plugins when a name is taken twice', () => {
    const frugal = createFrugal({ plugins: [dummyModel('@acme/a')] });
    expect(() => frugal.use(dummyModel('@acme/b'))).toThrow(
      'model "tiny" is registered twice: by plugin "@acme/a" and by plugin "@acme/b"',
    );
  });

  it('keeps two instances apart', () => {
    const a = createFrugal({ plugins: [dummyModel('@acme/a')] });
    const b = createFrugal();
    expect(b.models.names()).toEqual([]);
    expect(a.container).not.toBe(b.container);
  });
});

describe('frugal.use', () => {
  it('takes a [factory, options] pair and a preset (a list)', () => {
    const factory = (options?: { name: string }) => dummyModel(options?.name ?? 'x');
    const frugal = createFrugal();
    frugal.use([factory, { name: '@acme/pair' }] as const);
    expect(frugal.models.get('tiny').plugin).toBe('@acme/pair');
    const other = createFrugal({ plugins: [[dummyModel('@acme/in-preset')]] });
    expect(other.models.get('tiny').plugin).toBe('@acme/in-preset');
  });

  it('lists each registry, core builtins included', () => {
    const frugal = createFrugal();
    expect(frugal.strategies.names()).toEqual(['supervised']);
    expect(frugal.callbacks.names()).toEqual(['early-stopping', 'metrics-jsonl', 'progress']);
    expect(frugal.callbacks.get('progress').description).toMatch(/Progress bar/);
  });

  it('rejects a model parameter with a message naming it', () => {
    const frugal = createFrugal({ plugins: [dummyModel('@acme/a')] });
    expect(() => frugal.models.create('tiny', { numClasses: 0, inputShape: [8, 8, 1] })).toThrow(
      'model "tiny".numClasses: got 0; expected number to be >=1',
    );
    expect(() => frugal.models.create('nope', { numClasses: 2, inputShape: [8, 8, 1] })).toThrow(
      'Unknown model "nope". Known models: tiny. Is the plugin that provides it loaded?',
    );
    expect(() => frugal.models.create('tinu', { numClasses: 2, inputShape: [8, 8, 1] })).toThrow(
      'Unknown model "tinu" (did you mean "tiny"?). Known models: tiny.',
    );
  });
});
