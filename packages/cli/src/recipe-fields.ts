import { UsageError } from './usage-error.js';

/** `FIELD=VALUE` with a dotted recipe field: `train.optimizer.lr=0.01`. */
const FIELD_FLAG = /^([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)=(.*)$/;

/** A `--set` flag's field and the text of its value(s), or a usage error that shows the form. */
export function splitFieldFlag(flag: string, form: string): { path: string; text: string } {
  const match = FIELD_FLAG.exec(flag);
  if (!match) throw new UsageError(`--set: got "${flag}"; expected ${form}`);
  const [, path, text] = match as unknown as [string, string, string];
  const reserved = path.split('.').find((key) => RESERVED_KEYS.has(key));
  if (reserved) throw new UsageError(`--set: "${path}" names "${reserved}", which is no recipe field; give a dotted recipe field, e.g. train.epochs`);
  return { path, text };
}

/** Names of every JavaScript object's own machinery, never recipe fields: setting one would reach all objects. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** `0.01` → 0.01, `true` → true, `[1, 2]` → [1, 2], `{"op": "flip"}` → an object, `adam` → "adam". */
export function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** A copy of `recipe` with each dotted field set to its value (sections on the way are created). */
export function setFields(recipe: Record<string, unknown>, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out = structuredClone(recipe);
  for (const [path, value] of Object.entries(values)) {
    const keys = path.split('.');
    let at: Record<string, unknown> = out;
    for (const key of keys.slice(0, -1)) {
      const next = at[key];
      if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next))) {
        throw new UsageError(`--set ${path}: the recipe's ${key} is not a section (it is ${JSON.stringify(next)}); set a field that exists`);
      }
      at = (at[key] ??= {}) as Record<string, unknown>;
    }
    at[keys[keys.length - 1]!] = value;
  }
  return out;
}

/** `--set FIELD=VALUE` flags of `train` and `ladder`: one value each (`frugal sweep` tries several). */
export function parseFieldFlags(flags: readonly string[]): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const flag of flags) {
    const { path, text } = splitFieldFlag(flag, 'FIELD=VALUE with a dotted recipe field, e.g. train.epochs=5');
    if (path in values) throw new UsageError(`--set: ${path} is given twice; give it once`);
    if (text === '') throw new UsageError(`--set: "${flag}" has no value; give one after the =`);
    values[path] = parseValue(text);
  }
  return values;
}

/**
 * A ladder file with `--set` fields: `rungs.NAME.FIELD` sets a field of the rung named NAME, any
 * other field the part every rung shares (a rung that sets the field itself keeps its own).
 */
export function setLadderFields(ladder: Record<string, unknown>, values: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const rungsOf = (l: Record<string, unknown>) => (Array.isArray(l['rungs']) ? (l['rungs'] as Record<string, unknown>[]) : []);
  const names = rungsOf(ladder).map((r) => r?.['name']);
  // A rung's name may hold dots (`fix.v2`): the longest name the path starts with is the rung's.
  const rungNamed = (rest: string) =>
    names.filter((n): n is string => typeof n === 'string' && rest.startsWith(`${n}.`)).sort((a, b) => b.length - a.length)[0] ?? rest.split('.')[0]!;
  const shared: Record<string, unknown> = {};
  const byRung = new Map<string, Record<string, unknown>>();
  for (const [path, value] of Object.entries(values)) {
    if (!/^rungs\.[^.]+\../.test(path)) {
      shared[path] = value;
      continue;
    }
    const name = rungNamed(path.slice('rungs.'.length));
    byRung.set(name, { ...byRung.get(name), [path.slice(`rungs.${name}.`.length)]: value });
  }
  const out = setFields(ladder, shared);
  const rungs = rungsOf(out);
  for (const [name, fields] of byRung) {
    const index = names.indexOf(name);
    if (index < 0) throw new UsageError(`--set rungs.${name}: the ladder has no rung named "${name}"; its rungs are ${names.map((n) => JSON.stringify(n)).join(', ')}`);
    rungs[index] = setFields(rungs[index]!, fields);
  }
  return out;
}
