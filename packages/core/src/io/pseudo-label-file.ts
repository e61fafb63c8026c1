import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { FrugalInputError } from '../errors.js';
import type { FolderLabels } from '../services/folder-labeller.js';
import { folderRelativePath } from './folder-relative-path.js';

/** One labelled image of a pseudo-label file (a JSON line), as `frugal label` writes it. */
export interface PseudoLabel {
  /** Path relative to the labelled folder, with `/`. */
  readonly file: string;
  /** The predicted class, by name and index. */
  readonly class: string;
  readonly label: number;
  /** The top softmax probability. */
  readonly confidence: number;
  /** The teacher's softmax over every class (float32 values). */
  readonly probabilities: readonly number[];
}

/**
 * The JSON lines of a batch of predictions: `probabilities` holds `rows × classes` softmax values.
 * Numbers are written as the shortest text that reads back to the same float32 value, so the
 * same predictions give the same bytes on every machine.
 */
export function pseudoLabelLines(files: readonly string[], probabilities: Float32Array, classNames: readonly string[]): string {
  const c = classNames.length;
  let out = '';
  for (let i = 0; i < files.length; i++) {
    const row = Array.from(probabilities.subarray(i * c, (i + 1) * c));
    let label = 0;
    for (let j = 1; j < c; j++) if (row[j]! > row[label]!) label = j;
    const line: PseudoLabel = { file: files[i]!, class: classNames[label]!, label, confidence: row[label]!, probabilities: row };
    out += `${JSON.stringify(line)}\n`;
  }
  return out;
}

const lineSchema = z.object({
  file: z.string().min(1),
  class: z.string(),
  label: z.number().int().min(0),
  probabilities: z.array(z.number().min(0).max(1)).min(1),
});

/**
 * Reads a pseudo-label file (JSON lines, as `frugal label` writes them) back: the files in order
 * and their softmax rows. With `classNames`, every line's class must be this model's class of the
 * same index, and every row have one probability a class. A line that is not a pseudo-label, a
 * file named twice or a path that leaves the folder is refused, naming the file and the line.
 */
export async function readPseudoLabelFile(path: string, classNames?: readonly string[]): Promise<FolderLabels> {
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new FrugalInputError(`${path} ${info ? 'is not a file' : 'does not exist'}; give the pseudo-label file frugal label wrote (--out)`);
  const files: string[] = [];
  const seen = new Set<string>();
  let rows = new Float32Array(0);
  let classes = classNames?.length;
  let n = 0;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
  for await (const text of lines) {
    n += 1;
    if (text.trim() === '') continue;
    const where = `${path} line ${n}`;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new FrugalInputError(`${where} is not JSON; a pseudo-label file has one JSON object a line, as frugal label writes it`);
    }
    const parsed = lineSchema.safeParse(json);
    if (!parsed.success) throw new FrugalInputError(`${where}: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'the line'} ${i.message.replace(/^Invalid input: /, '')}`).join('; ')}`);
    const line = parsed.data;
    const file = folderRelativePath(line.file);
    if (file === undefined) {
      throw new FrugalInputError(`${where}: file "${line.file}" is not inside the labelled folder; a pseudo-label file names images by their path within it`);
    }
    if (seen.has(file)) throw new FrugalInputError(`${where}: file "${file}" is labelled twice`);
    seen.add(file);
    classes ??= line.probabilities.length;
    if (line.probabilities.length !== classes) {
      throw new FrugalInputError(`${where}: ${line.probabilities.length} probabilities, where ${classNames ? 'this model has' : 'the first line has'} ${classes} classes`);
    }
    if (classNames && classNames[line.label] !== line.class) {
      const ours = classNames[line.label];
      throw new FrugalInputError(
        `${where}: class "${line.class}" is label ${line.label} there, ${ours === undefined ? 'which this model does not have' : `and "${ours}" here`}; ` +
          `the file was written by a model with other classes (this one's: ${classNames.join(', ')})`,
      );
    }
    if ((files.length + 1) * classes > rows.length) {
      const grown = new Float32Array(Math.max(1024, 2 * files.length + 2) * classes);
      grown.set(rows);
      rows = grown;
    }
    rows.set(line.probabilities, files.length * classes);
    files.push(file);
  }
  if (files.length === 0) throw new FrugalInputError(`${path} holds no pseudo-labels; give the file frugal label wrote (--out)`);
  return { files, probabilities: rows.slice(0, files.length * (classes as number)) };
}
