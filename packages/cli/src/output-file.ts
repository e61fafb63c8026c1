import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { UsageError } from './usage-error.js';

/**
 * Refuses an output file that holds something the command did not write (a recipe, labels typed by
 * hand, a photo): `isOurs` recognises the command's own earlier output, which it writes over.
 */
export async function refuseForeignOutput(file: string, flag: string, what: string, isOurs: (file: string) => Promise<boolean> | boolean): Promise<void> {
  if (!existsSync(file)) return;
  const stat = statSync(file);
  if (stat.isDirectory()) throw new UsageError(`${flag}: ${file} is a folder; give the path of the file to write`);
  if (stat.size > 0 && !(await isOurs(file))) {
    throw new UsageError(`${flag}: ${file} exists and is not ${what} (it may be someone's work); give another ${flag}, or move it away`);
  }
}

/** The first line of a text file (at most 64 KiB read). */
function firstLine(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(65536);
    const n = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, n).toString('utf8').split('\n')[0] ?? '';
  } finally {
    closeSync(fd);
  }
}

/** The mark `frugal preview` writes into its PNG's EXIF (Software), by which it knows its own grid. */
export const PREVIEW_MARK = 'frugal preview';

/** Whether a file is a PNG that `frugal preview` wrote. */
export async function isPreviewPng(file: string): Promise<boolean> {
  try {
    const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
    const { format, exif } = await sharp(file).metadata();
    return format === 'png' && Boolean(exif?.toString('latin1').includes(PREVIEW_MARK));
  } catch {
    return false;
  }
}

/** Whether a file's first line is a pseudo-label line as `frugal label` writes them. */
export function isLabelLines(file: string): boolean {
  try {
    const line = JSON.parse(firstLine(file)) as unknown;
    return typeof line === 'object' && line !== null && 'file' in line && 'probabilities' in line;
  } catch {
    return false;
  }
}
