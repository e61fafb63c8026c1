import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FrugalInputError } from '../errors.js';
import { readUserFile } from '../io/read-user-file.js';

/** The largest recipe file read: recipes are a few hundred bytes; a larger file is a mistake or an attack. */
export const MAX_RECIPE_BYTES = 1_000_000;

/** What a file read by `readRecipeFile` holds: a recipe, or a ladder (a recipe with rungs). Errors name it. */
export type RecipeFileKind = 'recipe' | 'ladder';

const NAMES: Record<RecipeFileKind, { file: string; hint: string; shape: string }> = {
  recipe: { file: 'Recipe file', hint: 'give a recipe file (.yaml or .json)', shape: 'a recipe is a mapping with at least data and model (see docs/guide/recipes.md)' },
  ladder: {
    file: 'Ladder file',
    hint: 'give a ladder file (.yaml or .json): a recipe with a list of rungs',
    shape: 'a ladder is a recipe, a mapping with at least data and model, with a list of rungs (see docs/guide/recipes.md, Ladders)',
  },
};

/** Reads a recipe file (.json, .yaml or .yml) into a plain object; validation is separate. */
export async function readRecipeFile(file: string, kind: RecipeFileKind = 'recipe'): Promise<Record<string, unknown>> {
  const names = NAMES[kind];
  const bytes = await readUserFile(file, { label: `${names.file} ${file}`, maxBytes: MAX_RECIPE_BYTES, hint: names.hint });
  const text = bytes.toString('utf8');
  return parseRecipeText(text, file, kind);
}

/** Deepest nesting of lists and mappings a recipe may have; real recipes stay under 10. */
export const MAX_RECIPE_DEPTH = 64;

/**
 * The deepest bracket nesting in the text (quotes not considered, so it may overcount). Checked
 * before parsing: the YAML parser recurses once per level, and near the stack's end V8 can crash
 * outright instead of throwing.
 */
function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5b || c === 0x7b) max = Math.max(max, ++depth);
    else if ((c === 0x5d || c === 0x7d) && depth > 0) depth--;
  }
  return max;
}

/** The nesting depth of a parsed value, walked without recursion. */
function valueDepth(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop() as [unknown, number];
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    if (max > MAX_RECIPE_DEPTH) return max;
    for (const child of Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'a list';
  return `a ${typeof value}`;
}

/**
 * Parses recipe text; the format follows the file extension (YAML when unknown, a superset of
 * JSON). The result is a mapping (validation of its fields is separate).
 */
export function parseRecipeText(text: string, file = 'recipe.yaml', kind: RecipeFileKind = 'recipe'): Record<string, unknown> {
  const { file: label, shape } = NAMES[kind];
  if (typeof text !== 'string') throw new FrugalInputError(`${label} ${file} holds no text`);
  if (text.length > MAX_RECIPE_BYTES) {
    throw new FrugalInputError(`${label} ${file} holds ${text.length.toLocaleString('en')} characters; a ${kind} may be at most ${MAX_RECIPE_BYTES.toLocaleString('en')}`);
  }
  const ext = extname(file).toLowerCase();
  const tooDeep = () =>
    new FrugalInputError(`${label} ${file} nests lists or mappings more than ${MAX_RECIPE_DEPTH} levels deep; a ${kind} needs a handful. Check that it is the right file`);
  if (ext !== '.json' && bracketDepth(text) > MAX_RECIPE_DEPTH) throw tooDeep();
  let value: unknown;
  try {
    // An empty file holds nothing, in JSON as in YAML.
    value = text.trim() === '' ? null : ext === '.json' ? JSON.parse(text) : parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    // The YAML reader ends its first line with the place, which this message has said already.
    const first = (error as Error).message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new FrugalInputError(`${label} ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}${where}: ${first}`);
  }
  if (valueDepth(value) > MAX_RECIPE_DEPTH) throw tooDeep();
  if (ext === '.json') refuseDuplicateKeys(text, file, label);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new FrugalInputError(
      `${label} ${file} holds ${kindOf(value)}, not a ${kind}; ${shape}`,
    );
  }
  return value as Record<string, unknown>;
}

/**
 * JSON.parse keeps the last of a key given twice, silently; the YAML reader (JSON is YAML) refuses
 * it, as it does in a YAML recipe. Run on JSON already parsed, and no deeper than the limit.
 */
function refuseDuplicateKeys(text: string, file: string, label: string): void {
  try {
    parseYaml(text, { uniqueKeys: true, prettyErrors: true });
  } catch (error) {
    if (!(error instanceof YAMLParseError) || error.code !== 'DUPLICATE_KEY') return;
    const at = error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    throw new FrugalInputError(`${label} ${file} gives a key twice${at} (JSON would keep the last one silently); give each key once`);
  }
}
