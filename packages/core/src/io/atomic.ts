import { randomBytes } from 'node:crypto';
import { link, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { makeDir } from './make-dir.js';

/** A fresh temporary name beside `path` (hidden, with this process's id), its folder made. */
async function temporaryBeside(path: string): Promise<string> {
  await makeDir(dirname(path));
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** A file-system error on the temporary file, told of the file the caller named (which is what a person can act on). */
function ofTarget(error: unknown, tmp: string, path: string): unknown {
  const fsError = error as NodeJS.ErrnoException;
  if (fsError?.path === tmp) {
    fsError.path = path;
    fsError.message = fsError.message.replace(tmp, path);
  }
  return error;
}

/** Writes a file atomically: a temporary file beside it, then a rename. */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = await temporaryBeside(path);
  try {
    await writeFile(tmp, data);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw ofTarget(error, tmp, path);
  }
}

/**
 * Writes a file that must not exist, atomically: a temporary file beside it, then a hard link to
 * the name, which fails with EEXIST (leaving the file there untouched) if one appeared meanwhile.
 */
export async function writeNewFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = await temporaryBeside(path);
  try {
    await writeFile(tmp, data);
    await link(tmp, path);
  } catch (error) {
    throw ofTarget(error, tmp, path);
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Fills a directory atomically: `fill` writes into a temporary sibling directory, which then
 * replaces `dir`. If anything fails, `dir` is left as it was.
 */
export async function writeDirAtomic(
  dir: string,
  fill: (tmpDir: string) => Promise<void>,
  options: { overwrite?: boolean } = {},
): Promise<void> {
  if (existsSync(dir) && !options.overwrite) {
    throw new Error(`${dir} already exists; refusing to overwrite it (remove it or allow overwriting)`);
  }
  await makeDir(dirname(dir));
  const suffix = `${process.pid}.${randomBytes(4).toString('hex')}`;
  const tmp = join(dirname(dir), `.${basename(dir)}.${suffix}.tmp`);
  const old = join(dirname(dir), `.${basename(dir)}.${suffix}.old`);
  await makeDir(tmp);
  try {
    await fill(tmp);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  const replacing = existsSync(dir);
  if (replacing) await rename(dir, old);
  try {
    await rename(tmp, dir);
  } catch (error) {
    if (replacing) await rename(old, dir);
    await rm(tmp, { recursive: true, force: true });
    throw error;
  }
  if (replacing) await rm(old, { recursive: true, force: true });
}
