import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { FrugalInputError } from '../errors.js';

/** Reads a recipe file (.json, .yaml or .yml) into a plain object; validation is separate. */
export async function readRecipeFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new FrugalInputError(
      code === 'ENOENT' ? `Recipe file ${file} does not exist` : `Cannot read recipe file ${file}: ${(error as Error).message}`,
    );
  }
  return parseRecipeText(text, file);
}

/** Parses recipe text; the format follows the file extension (YAML when unknown, a superset of JSON). */
export function parseRecipeText(text: string, file = 'recipe.yaml'): unknown {
  const ext = extname(file).toLowerCase();
  try {
    if (ext === '.json') return JSON.parse(text);
    return parseYaml(text, { prettyErrors: true, uniqueKeys: true });
  } catch (error) {
    const where = error instanceof YAMLParseError && error.linePos ? ` at line ${error.linePos[0].line}, column ${error.linePos[0].col}` : '';
    const first = (error as Error).message.split('\n')[0];
    throw new FrugalInputError(`Recipe file ${file} is not valid ${ext === '.json' ? 'JSON' : 'YAML'}${where}: ${first}`);
  }
}
