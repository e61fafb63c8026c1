import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatZodError } from './format-zod-error.js';

const size = z.union([z.number().int().min(1), z.tuple([z.number().int().min(1), z.number().int().min(1)])]);
const threshold = z.union([z.number().min(0).max(1), z.literal('self-adaptive'), z.literal('soft')]);
const params = z.object({ size, color: z.enum(['rgb', 'grayscale']).default('rgb'), threshold: threshold.optional() }).strict();

function message(input: unknown): string {
  const parsed = params.safeParse(input);
  if (parsed.success) throw new Error('expected the input to be refused');
  return formatZodError(parsed.error, 'data.params', input);
}

describe('formatZodError', () => {
  it.each([
    ['a missing field of several types', {}, 'data.params.size: got nothing (the field is required); expected a number or a list'],
    ['a value of none of its types', { size: 'big' }, 'data.params.size: got "big"; expected a number or a list'],
    ['a list that one type refuses for its length', { size: [32] }, 'data.params.size: got [32]; expected array to have >=2 items'],
    ['an item of that list', { size: [32, 0] }, 'data.params.size[1]: got 0; expected number to be >=1'],
    ['a number below its bound', { size: 0 }, 'data.params.size: got 0; expected number to be >=1'],
    ['a misspelt choice', { size: 4, color: 'greyscale' }, 'data.params.color: got "greyscale"; did you mean "grayscale"? expected one of "rgb", "grayscale"'],
    ['a value of neither a number nor a word it takes', { size: 4, threshold: 'sometimes' }, 'data.params.threshold: got "sometimes"; expected a number or "self-adaptive" or "soft"'],
    ['a number above that choice\'s bound', { size: 4, threshold: 1.5 }, 'data.params.threshold: got 1.5; expected number to be <=1'],
    ['an unknown key', { size: 4, channels: 1 }, 'data.params: unknown key "channels"; remove or correct it'],
  ])('names %s with the field, the value and what is allowed', (_what, input, expected) => {
    expect(message(input)).toBe(expected);
  });

  it('gives one line per problem', () => {
    expect(message({ channels: 1 }).split('\n')).toEqual([
      'data.params.size: got nothing (the field is required); expected a number or a list',
      'data.params: unknown key "channels"; remove or correct it',
    ]);
  });
});

describe('formatZodError with the schema that refused the input', () => {
  const nested = z.strictObject({
    train: z.strictObject({ epochs: z.number().default(1), batchSize: z.number().default(32) }).prefault({}),
    steps: z.array(z.union([z.string(), z.strictObject({ op: z.string(), p: z.number().optional() })])).default([]),
  });
  const refused = (input: unknown): string => {
    const parsed = nested.safeParse(input);
    if (parsed.success) throw new Error('expected the input to be refused');
    return formatZodError(parsed.error, 'recipe', input, nested);
  };

  it('says which key a misspelt one meant, under defaults and inside a list of unions', () => {
    expect(refused({ train: { epoch: 3 } })).toBe('recipe.train: unknown key "epoch" (did you mean "epochs"?); remove or correct it');
    expect(refused({ steps: ['a', { op: 'flip', P: 0.5 }] })).toBe('recipe.steps[1]: unknown key "P" (did you mean "p"?); remove or correct it');
  });

  it('lists the keys taken when no key is close', () => {
    expect(refused({ train: { warmup: 3 } })).toBe('recipe.train: unknown key "warmup"; it takes epochs, batchSize; remove or correct it');
  });

  it('says no more than before without the schema', () => {
    const parsed = nested.safeParse({ train: { epoch: 3 } });
    if (parsed.success) throw new Error('expected the input to be refused');
    expect(formatZodError(parsed.error, 'recipe', { train: { epoch: 3 } })).toBe('recipe.train: unknown key "epoch"; remove or correct it');
  });
});
