import { UsageError } from '../usage-error.js';

/** One point of a sweep: recipe fields (dotted paths) and their values. */
export interface SweepSetting {
  /** `train.optimizer.lr=0.01 model.params.widthMultiplier=0.5`, or `recipe` when nothing is set. */
  readonly label: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** `0.01` → 0.01, `true` → true, `adam` → "adam". */
function parseValue(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/**
 * The settings of `--set PATH=V1,V2` flags: every combination of their values (the first flag
 * varies slowest). No flag: one setting, the recipe as it is.
 */
export function sweepSettings(flags: readonly string[]): SweepSetting[] {
  let settings: SweepSetting[] = [{ label: 'recipe', values: {} }];
  const seen = new Set<string>();
  for (const flag of flags) {
    const match = /^([A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*)*)=(.+)$/.exec(flag);
    if (!match) throw new UsageError(`--set: got "${flag}"; expected FIELD=VALUE[,VALUE...] with a dotted recipe field, e.g. train.optimizer.lr=0.01,0.03`);
    const [, path, list] = match as unknown as [string, string, string];
    if (seen.has(path)) throw new UsageError(`--set: ${path} is given twice; list all its values in one flag (${path}=A,B)`);
    seen.add(path);
    const values = list.split(',').map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UsageError(`--set: "${flag}" has an empty value; list values separated by commas`);
    settings = settings.flatMap((s) =>
      values.map((v) => ({
        label: [s.label === 'recipe' ? '' : s.label, `${path}=${v}`].filter(Boolean).join(' '),
        values: { ...s.values, [path]: parseValue(v) },
      })),
    );
  }
  return settings;
}

/** A copy of `recipe` with the setting's fields set (objects on the way are created). */
export function applySetting(recipe: Record<string, unknown>, setting: SweepSetting): Record<string, unknown> {
  const out = structuredClone(recipe);
  for (const [path, value] of Object.entries(setting.values)) {
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

/** A folder name for a setting: `train.optimizer.lr=0.01` → `train.optimizer.lr-0.01`. */
export function settingFolder(setting: SweepSetting): string {
  return setting.label.replace(/=/g, '-').replace(/[^\w.,-]+/g, '_').slice(0, 120);
}
