import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { mkdir, readdir, rename, rm, rmdir } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { FrugalInputError } from '../errors.js';
import { isRunLockEntry, lockRunDir, type RunLock } from '../io/run-lock.js';
import { makeDir } from '../io/make-dir.js';

/** The prefix of the folder an old run is moved into before it is removed (left behind only by a crash). */
const ASIDE = '.replaced-';

/**
 * Takes ownership of a run directory for one run: creates it, locks it (one process at a time),
 * and refuses to write over an existing run unless resuming it or `force` is given. With `force`,
 * the old run's files are first moved aside and removed, so that none of its checkpoints, metrics
 * or models mix with the new run's. A new run takes only a directory that is new, empty, or holds
 * a run: never a folder of other files, which its files would mix with and `force` would remove.
 * The folders it makes are removed on release when the run left them empty (a refused run).
 */
export async function claimRunDir(runDir: string, options: { resume?: boolean; force?: boolean }): Promise<RunLock> {
  const notARun = () => new FrugalInputError(`${runDir} is not a run directory (it has no recipe.json); give the directory \`frugal train\` wrote`);
  if (options.resume && !existsSync(join(runDir, 'recipe.json'))) throw notARun();
  if (existsSync(runDir) && !statSync(runDir).isDirectory()) {
    throw new FrugalInputError(`Run directory ${runDir} is a file; give a directory for the run (a new one, or one that holds a run)`);
  }
  const made = await makeDir(runDir);
  const locked = await lockRunDir(runDir);
  const lock: RunLock = {
    file: locked.file,
    async release() {
      await locked.release();
      if (made) await removeEmptyFolders(resolve(runDir), resolve(made));
    },
  };
  try {
    const holdsRun = existsSync(join(runDir, 'recipe.json'));
    if (options.resume && !holdsRun) throw notARun();
    if (!holdsRun) await refuseOtherFiles(runDir);
    if (holdsRun && !options.resume) {
      if (!options.force) {
        throw new FrugalInputError(
          `Run directory ${runDir} already holds a run; resume it with --resume, choose another directory, or pass --force to overwrite it`,
        );
      }
      await clearRun(runDir);
    }
    return lock;
  } catch (error) {
    await lock.release();
    throw error;
  }
}

/**
 * Refuses a run directory inside a folder the recipe's dataset reads images from (`readsFolders`):
 * its reports and plots would be read as images, or as a class, by the runs that read that folder.
 */
export function refuseRunDirInData(runDir: string, dataset: string, params: Readonly<Record<string, unknown>>, folders: readonly string[] = []): void {
  const run = resolve(runDir);
  for (const key of folders) {
    const value = params[key];
    if (typeof value !== 'string') continue;
    const within = relative(resolve(value), run);
    if (within === '' || (!within.startsWith('..') && !isAbsolute(within))) {
      throw new FrugalInputError(
        `Run directory ${runDir} lies inside data.params.${key} ("${value}"), the folder dataset "${dataset}" reads images from: ` +
          'its files would be read as images there. Give a run directory outside it (--run-dir, or the recipe\'s output.dir)',
      );
    }
  }
}

/** Removes `dir` and the folders above it up to `top` while they are empty: what a refused run made and left. */
async function removeEmptyFolders(dir: string, top: string): Promise<void> {
  for (let folder = dir; ; folder = dirname(folder)) {
    if (!(await rmdir(folder).then(() => true, () => false)) || folder === top || dirname(folder) === folder) return;
  }
}

/** Refuses a directory that holds a run's files, or anyone's, but no run (a folder of photos, notes, other runs). */
async function refuseOtherFiles(runDir: string): Promise<void> {
  const others = (await readdir(runDir)).filter((entry) => !isRunLockEntry(entry) && !entry.startsWith(ASIDE));
  if (others.length === 0) return;
  const shown = others.sort().slice(0, 3).join(', ') + (others.length > 3 ? `, … (${others.length} entries)` : '');
  throw new FrugalInputError(
    `Run directory ${runDir} holds files but no run (${shown}); give a new or empty directory for the run, so that nothing there mixes with it or is removed by --force`,
  );
}

/** Moves every entry of a run directory but its lock into one hidden folder (one rename each), then removes it. */
async function clearRun(runDir: string): Promise<void> {
  const aside = join(runDir, `${ASIDE}${randomBytes(4).toString('hex')}`);
  await mkdir(aside);
  for (const entry of await readdir(runDir)) {
    if (isRunLockEntry(entry) || join(runDir, entry) === aside) continue;
    await rename(join(runDir, entry), join(aside, entry));
  }
  await rm(aside, { recursive: true, force: true });
}
