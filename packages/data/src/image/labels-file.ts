import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { folderRelativePath, FrugalInputError } from '@frugal/core';
import { parse } from 'csv-parse/sync';

/** One labelled image of a labels file: its path inside the image folder (with `/`) and its class. */
export interface LabelledFile {
  readonly file: string;
  readonly class: string;
  /** Where the row is, for messages: `labels.csv line 7`. */
  readonly where: string;
}

/** The labels file, or files, as messages name them: `labels.csv`, or `labels.csv, round-2.csv`. */
export function labelsFileNames(sources: string | readonly string[]): string {
  return typeof sources === 'string' ? sources : sources.join(', ');
}

/** The most rows a labels file may hold. */
export const MAX_LABEL_ROWS = 10_000_000;

function cleanPath(value: string, where: string): string {
  const file = folderRelativePath(value);
  if (file === undefined) throw new FrugalInputError(`${where}: file "${value}" is not inside the image folder; name each image by its path within it, e.g. cats/001.jpg`);
  return file;
}

function csvRows(text: string, source: string): { file: string; class: string; where: string }[] {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), bom: true, skip_empty_lines: true, trim: true, info: true });
  } catch (error) {
    throw new FrugalInputError(`${source} is not valid CSV (${(error as Error).message.split('\n')[0]}); give a header line "file,class" and one image a line`);
  }
  const first = records[0]?.record;
  if (first && (!('file' in first) || !('class' in first))) {
    throw new FrugalInputError(`${source} has columns ${Object.keys(first).map((c) => `"${c}"`).join(', ')}; a labels file needs a "file" and a "class" column (header line "file,class")`);
  }
  // `info.lines`: the line the record ends on, blank lines counted.
  return records.map(({ record, info }) => ({ file: record.file ?? '', class: record.class ?? '', where: `${source} line ${info.lines}` }));
}

function jsonLines(text: string, source: string): { file: string; class: string; where: string }[] {
  const rows: { file: string; class: string; where: string }[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${source} line ${i + 1}`;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      throw new FrugalInputError(`${where} is not JSON; a JSON-lines labels file has one object a line with "file" and "class"`);
    }
    const row = (typeof json === 'object' && json !== null ? json : {}) as { file?: unknown; class?: unknown };
    if (typeof row.file !== 'string' || typeof row.class !== 'string') {
      throw new FrugalInputError(`${where} has no "file" and "class" strings; each line needs both, as frugal label writes them`);
    }
    rows.push({ file: row.file, class: row.class, where });
  });
  return rows;
}

/** The rows of one labels file, unchecked. */
async function labelRows(source: string): Promise<{ file: string; class: string; where: string }[]> {
  const info = await stat(source).catch(() => undefined);
  if (!info?.isFile()) throw new FrugalInputError(`Labels file "${source}" ${info ? 'is not a file' : 'does not exist'}; give a CSV (file,class) or JSON-lines file`);
  const ext = path.extname(source).toLowerCase();
  if (ext !== '.csv' && ext !== '.jsonl') throw new FrugalInputError(`Labels file "${source}" is neither .csv nor .jsonl; give a CSV with a "file,class" header, or JSON lines with "file" and "class"`);
  const text = await readFile(source, 'utf8');
  const raw = ext === '.csv' ? csvRows(text, source) : jsonLines(text, source);
  if (raw.length === 0) throw new FrugalInputError(`Labels file "${source}" names no images; give one image a line`);
  return raw;
}

/**
 * Reads a labels file, or several as one: CSV with a `file,class` header (any other columns are
 * ignored), or JSON lines with `file` and `class` (as `frugal label` writes them). Paths are
 * relative to the image folder; one that leaves it, an image named twice (in one file or in two)
 * or a row without a class is refused, naming the file and the line.
 */
export async function readLabelsFile(sources: string | readonly string[]): Promise<LabelledFile[]> {
  const raw: { file: string; class: string; where: string }[] = [];
  for (const source of typeof sources === 'string' ? [sources] : sources) raw.push(...(await labelRows(source)));
  if (raw.length > MAX_LABEL_ROWS) throw new FrugalInputError(`Labels files ${labelsFileNames(sources)} have ${raw.length} rows; at most ${MAX_LABEL_ROWS} are read`);
  const seen = new Map<string, string>();
  return raw.map((row) => {
    if (row.file.trim() === '') throw new FrugalInputError(`${row.where}: no file; each line names an image and its class`);
    const className = row.class.trim();
    if (className === '') throw new FrugalInputError(`${row.where}: "${row.file}" has no class; each line names an image and its class`);
    const file = cleanPath(row.file, row.where);
    const before = seen.get(file);
    if (before) throw new FrugalInputError(`${row.where}: "${file}" is labelled twice (also at ${before})`);
    seen.set(file, row.where);
    return { file, class: className, where: row.where };
  });
}
