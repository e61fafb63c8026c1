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
