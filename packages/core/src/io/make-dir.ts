import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { FrugalInputError } from '../errors.js';

const missingOr = (error: NodeJS.ErrnoException): undefined => {
  if (error.code === 'ENOENT') return undefined;
  throw error;
};

/**
 * Makes a folder and the folders above it that are missing, as `mkdir -p` does; returns the first
 * one it made (undefined when the folder was there). Node's own recursive `mkdir` never returns
 * where the system answers "no such file" under a folder that exists (`/proc`, `/sys`): here that
 * is refused, naming the folder.
 */
export async function makeDir(dir: string): Promise<string | undefined> {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const info = await stat(at).catch(missingOr);
    if (info) break;
    missing.unshift(at);
    if (dirname(at) === at) break;
  }
  let first: string | undefined;
  for (const folder of missing) {
    try {
      await mkdir(folder);
      first ??= folder;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') continue;
      if (code !== 'ENOENT') throw error;
      throw new FrugalInputError(`cannot make the folder ${folder}: ${dirname(folder)} takes no new folders; choose another path`, { cause: error });
    }
  }
  return first;
}
