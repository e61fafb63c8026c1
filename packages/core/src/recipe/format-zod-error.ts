import type { z } from 'zod';
import { closestName } from './closest-name.js';

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (Array.isArray(value) && value.length > 20) return `a list of ${value.length} entries`;
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return String(value);
  }
}

const TYPE_NAMES: Record<string, string> = {
  int: 'an integer',
  number: 'a number',
  string: 'a string',
  object: 'an object',
  boolean: 'true or false',
  array: 'a list',
};

function pathText(base: string, path: readonly PropertyKey[]): string {
  let out = base;
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out || '(root)';
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/**
 * One line per problem: the field path, the bad value and what is allowed.
 * e.g. `recipe.train.epochs: got -1; expected a number >= 1`.
 */
export function formatZodError(error: z.ZodError, base = 'recipe', input?: unknown): string {
  const lines = error.issues.map((issue) => {
    const issuePath = issue.path as PropertyKey[];
    const where = pathText(base, issuePath);
    const bad = input === undefined ? (issue as { input?: unknown }).input : valueAt(input, issuePath);
    switch (issue.code) {
      case 'unrecognized_keys':
        return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove or correct ${issue.keys.length > 1 ? 'them' : 'it'}`;
      case 'invalid_value': {
        const close = typeof bad === 'string' ? closestName(bad, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
        return `${where}: got ${describe(bad)}; ${close ? `did you mean "${close}"? ` : ''}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      }
      case 'invalid_union':
        return `${where}: got ${describe(bad)}; ${issue.message}`;
      case 'too_small':
      case 'too_big':
        return `${where}: got ${describe(bad)}; ${issue.message.replace(/^Too (small|big): expected /, 'expected ')}`;
      case 'invalid_type':
        return `${where}: got ${bad === undefined ? 'nothing (the field is required)' : describe(bad)}; expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
      default:
        return `${where}: got ${describe(bad)}; ${issue.message}`;
    }
  });
  return lines.join('\n');
}
