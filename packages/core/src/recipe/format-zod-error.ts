import type { z } from 'zod';
import { closestName } from './closest-name.js';
import { knownKeysAt, pathsOfKey } from './schema-keys.js';

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

/**
 * `unknown key "epoch" (did you mean "epochs"?)`; for a key that belongs elsewhere, where (`did you
 * mean "train.epochs"?`); else the keys the object takes.
 */
function unknownKeys(keys: readonly string[], at: readonly PropertyKey[], schema: z.ZodType | undefined): string {
  const known = schema ? knownKeysAt(schema, at) : [];
  const guesses = keys.map((key) => {
    const close = closestName(key, known);
    if (close || !schema) return close;
    const elsewhere = [...new Set(pathsOfKey(schema, key))];
    return elsewhere.length === 1 ? elsewhere[0] : undefined;
  });
  const named = keys.map((key, i) => `"${key}"${guesses[i] ? ` (did you mean "${guesses[i]}"?)` : ''}`);
  const plural = keys.length > 1;
  const list = guesses.every((g) => !g) && known.length > 0 && known.length <= 24 ? `; it takes ${known.join(', ')}` : '';
  return `unknown key${plural ? 's' : ''} ${named.join(', ')}${list}; remove or correct ${plural ? 'them' : 'it'}`;
}

interface Context {
  readonly base: string;
  readonly root: unknown;
  readonly useRoot: boolean;
  readonly schema?: z.ZodType;
}

function formatIssue(issue: Issue, path: readonly PropertyKey[], context: Context): string {
  const { base, root, useRoot, schema } = context;
  const where = pathText(base, path);
  const bad = useRoot ? valueAt(root, path) : (issue as { input?: unknown }).input;
  const got = bad === undefined ? 'nothing (the field is required)' : describe(bad);
  switch (issue.code) {
    case 'unrecognized_keys':
      return `${where}: ${unknownKeys(issue.keys, path, schema)}`;
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
      if (first && useRoot) return formatIssue(first, [...path, ...first.path], context);
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
 * e.g. `recipe.train.epochs: got -1; expected a number >= 1`. Given the schema that refused the
 * input, an unknown key is matched against the keys that schema takes ("did you mean").
 */
export function formatZodError(error: z.ZodError, base = 'recipe', input?: unknown, schema?: z.ZodType): string {
  const context: Context = { base, root: input, useRoot: input !== undefined, schema };
  return error.issues.map((issue) => formatIssue(issue, issue.path as PropertyKey[], context)).join('\n');
}
