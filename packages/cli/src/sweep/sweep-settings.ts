import { createHash } from 'node:crypto';
import { parseValue, splitFieldFlag } from '../recipe-fields.js';
import { UsageError } from '../usage-error.js';

/** One point of a sweep: recipe fields (dotted paths) and their values. */
export interface SweepSetting {
  /** `train.optimizer.lr=0.01 model.params.widthMultiplier=0.5`, or `recipe` when nothing is set. */
  readonly label: string;
  readonly values: Readonly<Record<string, unknown>>;
}

/** Recipe fields that take effect when a process starts its backend, the same for every run of a sweep. */
const ONE_PER_SWEEP = new Set(['backend', 'threads', 'precision']);

/**
 * The settings of `--set PATH=V1,V2` flags: every combination of their values (the first flag
 * varies slowest). No flag: one setting, the recipe as it is.
 */
export function sweepSettings(flags: readonly string[]): SweepSetting[] {
  let settings: SweepSetting[] = [{ label: 'recipe', values: {} }];
  const seen = new Set<string>();
  for (const flag of flags) {
    const { path, text: list } = splitFieldFlag(flag, 'FIELD=VALUE[,VALUE...] with a dotted recipe field, e.g. train.optimizer.lr=0.01,0.03');
    if (seen.has(path)) throw new UsageError(`--set: ${path} is given twice; list all its values in one flag (${path}=A,B)`);
    if (ONE_PER_SWEEP.has(path)) {
      throw new UsageError(`--set: ${path} is chosen once for the whole sweep, whose runs share a process; set it in the recipe (or with --${path}) and run one sweep per value`);
    }
    seen.add(path);
    const values = topLevelValues(list).map((v) => v.trim());
    if (values.some((v) => v === '')) throw new UsageError(`--set: "${flag}" has an empty value; list values separated by commas`);
    const parsed = values.map((v) => JSON.stringify(parseValue(v)));
    const twice = values.find((_v, i) => parsed.indexOf(parsed[i] as string) !== i);
    if (twice !== undefined) throw new UsageError(`--set: "${flag}" gives ${path} the value ${twice} twice; each value makes its own runs, so list it once (more runs of one setting: --seeds)`);
    settings = settings.flatMap((s) =>
      values.map((v) => ({
        label: [s.label === 'recipe' ? '' : s.label, `${path}=${v}`].filter(Boolean).join(' '),
        values: { ...s.values, [path]: parseValue(v) },
      })),
    );
  }
  return settings;
}

/** A list of values split at its commas, but not at those inside a JSON list, object or string (`[1,2],[3]`). */
function topLevelValues(list: string): string[] {
  const values: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') depth--;
    else if (c === ',' && depth === 0) {
      values.push(list.slice(start, i));
      start = i + 1;
    }
  }
  values.push(list.slice(start));
  return values;
}

/** A folder name for a setting: `train.optimizer.lr=0.01` → `train.optimizer.lr-0.01`. */
function plainFolder(setting: SweepSetting): string {
  return setting.label.replace(/=/g, '-').replace(/[^\w.,-]+/g, '_').slice(0, 120);
}

/**
 * The settings' folder names, one each, in order. Where two settings would share one (a long
 * label cut short, or `a/b` and `a_b`), each of them ends in a hash of its own setting.
 */
export function settingFolders(settings: readonly SweepSetting[]): string[] {
  const plain = settings.map(plainFolder);
  const uses = new Map<string, number>();
  for (const name of plain) uses.set(name, (uses.get(name) ?? 0) + 1);
  return settings.map((setting, i) => {
    const name = plain[i] as string;
    return (uses.get(name) ?? 0) > 1 ? `${name.slice(0, 111)}-${createHash('sha256').update(setting.label).digest('hex').slice(0, 8)}` : name;
  });
}
