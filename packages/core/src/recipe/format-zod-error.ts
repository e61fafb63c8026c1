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
  tuple: 'a list',
  record: 'an object',
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

type Issue = z.ZodError['issues'][number];

/** A union's branches that failed on the value's type alone: none came nearer than another. */
function typeNames(branches: readonly (readonly Issue[])[]): string[] | undefined {
  const names: string[] = [];
  for (const [first] of branches) {
    if (!first || first.path.length > 0) return undefined;
    // A branch of another type, or one of fixed values (a number, or "self-adaptive" or "soft").
    if (first.code === 'invalid_type') names.push(TYPE_NAMES[first.expected] ?? first.expected);
    else if (first.code === 'invalid_value') names.push(...first.values.map((v) => JSON.stringify(v)));
    else return undefined;
  }
  const unique = [...new Set(names)];
  return unique.length > 0 ? unique : undefined;
}

function formatIssue(issue: Issue, path: readonly PropertyKey[], base: string, root: unknown, useRoot: boolean): string {
  const where = pathText(base, path);
  const bad = useRoot ? valueAt(root, path) : (issue as { input?: unknown }).input;
  const got = bad === undefined ? 'nothing (the field is required)' : describe(bad);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}: unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; remove or correct ${issue.keys.length > 1 ? 'them' : 'it'}`;
    case 'invalid_value': {
      const close = typeof bad === 'string' ? closestName(bad, issue.values.filter((v): v is string => typeof v === 'string')) : undefined;
      return `${where}: got ${describe(bad)}; ${close ? `did you mean "${close}"? ` : ''}expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    case 'invalid_union': {
      const branches = issue.errors;
      const names = typeNames(branches);
      if (names) return `${where}: got ${got}; expected ${names.join(' or ')}`;
      // The value has the type of a branch that then refused it: that branch's reason is the one to read.
      const nearest = branches.find(([first]) => first && !(first.code === 'invalid_type' && first.path.length === 0));
      const [first] = nearest ?? [];
      if (first && useRoot) return formatIssue(first, [...path, ...first.path], base, root, true);
      return `${where}: got ${got}; ${issue.message}`;
    }
    case 'too_small':
    case 'too_big':
      return `${where}: got ${describe(bad)}; ${issue.message.replace(/^Too (small|big): expected /, 'expected ')}`;
    case 'invalid_type':
      return `${where}: got ${got}; expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    default:
      return `${where}: got ${describe(bad)}; ${issue.message}`;
  }
}

/**
 * One line per problem: the field path, the bad value and what is allowed.
 * e.g. `recipe.train.epochs: got -1; expected a number >= 1`.
 */
export function formatZodError(error: z.ZodError, base = 'recipe', input?: unknown): string {
  return error.issues.map((issue) => formatIssue(issue, issue.path as PropertyKey[], base, input, input !== undefined)).join('\n');
}
