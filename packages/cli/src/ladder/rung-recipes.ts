import { join } from 'node:path';
import { UsageError } from '../usage-error.js';
import type { RungSpec } from './ladder-schema.js';

/** A rung resolved into an ordinary recipe, with its run folder. */
export interface RungRecipe {
  readonly rung: RungSpec;
  readonly dir: string;
  readonly recipe: Record<string, unknown>;
  /** The positions of the rungs whose models it needs (its start and teachers): it runs after them. */
  readonly after: readonly number[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `over` laid on `base`, objects merged key by key, anything else replaced. */
function merged(base: unknown, over: unknown): unknown {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) out[key] = merged(base[key], value);
  return out;
}

/**
 * The recipe of every rung of a ladder, for one seed: the ladder's recipe with the rung's changes,
 * `model.init` set to the model of the rung it starts from and a `distill` rung's teacher to its
 * teacher rung's (or an ensemble of several rungs'), each run in `root/<position>-<name>`.
 */
export function rungRecipes(base: Record<string, unknown>, rungs: readonly RungSpec[], root: string, seed: number, file: string): RungRecipe[] {
  const dirs = rungs.map((r, i) => join(root, `${i + 1}-${r.name}`));
  const positionOf = (ref: string, i: number, field: string): number => {
    const at = ref === 'previous' ? i - 1 : rungs.findIndex((r) => r.name === ref);
    if (at < 0 || at >= i) {
      const which = ref === 'previous' ? 'the first rung has no previous rung' : `"${ref}" is not the name of a rung above it`;
      const choices = field === 'start' ? '"fresh", "previous"' : '"previous"';
      throw new UsageError(`${file}: rung "${rungs[i]?.name}" ${field}: ${which}; give ${choices} or the name of an earlier rung`);
    }
    return at;
  };
  const modelAt = (at: number) => join(dirs[at] as string, 'model');
  if (rungs.every((r) => r.preparation)) {
    throw new UsageError(`${file}: every rung is a preparation (preparation: true), so the ladder would report nothing; add a rung that trains a classifier from them`);
  }
  const names = new Set<string>();
  return rungs.map((rung, i) => {
    if (names.has(rung.name)) throw new UsageError(`${file}: two rungs are named "${rung.name}"; give each rung its own name`);
    if (rung.name === 'previous' || rung.name === 'fresh') throw new UsageError(`${file}: a rung may not be named "${rung.name}" (a word of start and teacher); rename it`);
    names.add(rung.name);
    const recipe = merged(base, { data: rung.data, model: rung.model, train: rung.train }) as Record<string, unknown>;
    for (const key of ['augment', 'strategy', 'callbacks'] as const) if (rung[key] !== undefined) recipe[key] = rung[key];
    recipe['name'] = rung.name;
    recipe['seed'] = seed;
    // The first rung starts where the ladder's recipe says (its own model.init, if any); `fresh`, from nothing.
    const { init: _ownInit, ...model } = (recipe['model'] ?? {}) as Record<string, unknown>;
    const start = rung.start === 'fresh' || (i === 0 && rung.start === 'previous') ? undefined : positionOf(rung.start, i, 'start');
    if (rung.start === 'fresh') recipe['model'] = model;
    else if (start !== undefined) recipe['model'] = { ...model, init: modelAt(start) };
    const refs = [rung.teacher ?? []].flat();
    const twice = refs.find((ref, k) => refs.indexOf(ref) !== k);
    if (twice) throw new UsageError(`${file}: rung "${rung.name}" teacher: "${twice}" is named twice; an ensemble's members are different rungs`);
    const teachers = refs.map((ref) => positionOf(ref, i, 'teacher'));
    const strategyName = (recipe['strategy'] as { name?: unknown } | undefined)?.name;
    const ownTeacher = ((recipe['strategy'] as { params?: { teacher?: unknown } } | undefined)?.params ?? {}).teacher;
    if (strategyName === 'distill' && !rung.teacher && ownTeacher === undefined) {
      throw new UsageError(`${file}: rung "${rung.name}" distils, and names no teacher; give the rung teacher: previous (the rung above), or the name of an earlier rung`);
    }
    if (rung.teacher) {
      const strategy = (recipe['strategy'] ?? {}) as Record<string, unknown>;
      const params = (strategy['params'] ?? {}) as Record<string, unknown>;
      const saved = (at: number) => ({ type: 'saved-model', path: modelAt(at) });
      const teacher = typeof rung.teacher === 'string' ? saved(teachers[0] as number) : { type: 'ensemble', members: teachers.map(saved) };
      recipe['strategy'] = { ...strategy, params: { ...params, teacher } };
    }
    const after = [...new Set([...(start === undefined ? [] : [start]), ...teachers])];
    return { rung, dir: dirs[i] as string, recipe, after };
  });
}
