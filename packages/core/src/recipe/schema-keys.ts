import type { z } from 'zod';

interface Def {
  readonly type: string;
  readonly innerType?: z.ZodType;
  readonly in?: z.ZodType;
  readonly getter?: () => z.ZodType;
  readonly options?: readonly z.ZodType[];
  readonly left?: z.ZodType;
  readonly right?: z.ZodType;
  readonly element?: z.ZodType;
  readonly valueType?: z.ZodType;
  readonly items?: readonly z.ZodType[];
  readonly shape?: Record<string, z.ZodType>;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value may meet under wrappers (default, optional, pipe, lazy) and union branches. */
function branches(schema: z.ZodType, depth = 0): z.ZodType[] {
  if (depth > 16) return [];
  const def = defOf(schema);
  const inner = def.innerType ?? (def.type === 'pipe' ? def.in : def.type === 'lazy' ? def.getter?.() : undefined);
  if (inner) return branches(inner, depth + 1);
  if (def.type === 'union' && def.options) return def.options.flatMap((option) => branches(option, depth + 1));
  if (def.type === 'intersection' && def.left && def.right) return [...branches(def.left, depth + 1), ...branches(def.right, depth + 1)];
  return [schema];
}

function child(schema: z.ZodType, key: PropertyKey): z.ZodType[] {
  return branches(schema).flatMap((branch) => {
    const def = defOf(branch);
    if (def.type === 'object' && def.shape && typeof key === 'string' && key in def.shape) return [def.shape[key] as z.ZodType];
    if (def.type === 'array' && def.element && typeof key === 'number') return [def.element];
    if (def.type === 'tuple' && def.items && typeof key === 'number' && def.items[key]) return [def.items[key] as z.ZodType];
    if (def.type === 'record' && def.valueType) return [def.valueType];
    return [];
  });
}

/** The keys an object schema knows at a path inside `schema`: what an unknown key could have meant. */
export function knownKeysAt(schema: z.ZodType, path: readonly PropertyKey[]): string[] {
  let at = [schema];
  for (const key of path) at = at.flatMap((s) => child(s, key));
  const keys = at.flatMap((s) => branches(s)).flatMap((s) => Object.keys(defOf(s).shape ?? {}));
  return [...new Set(keys)];
}

/** Where else in `schema` a key of that name (in any case) belongs: `["train.epochs"]` for `epochs`. */
export function pathsOfKey(schema: z.ZodType, key: string, prefix = '', depth = 0): string[] {
  if (depth > 4) return [];
  const lower = key.toLowerCase();
  return branches(schema).flatMap((branch) =>
    Object.entries(defOf(branch).shape ?? {}).flatMap(([name, value]) => {
      const here = prefix ? `${prefix}.${name}` : name;
      return [...(name.toLowerCase() === lower ? [here] : []), ...pathsOfKey(value, key, here, depth + 1)];
    }),
  );
}
