import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FrugalInputError } from '../errors.js';
import { lockRunDir, RUN_LOCK_FILE, type RunLock } from '../io/run-lock.js';

/**
 * Takes ownership of a run directory for one run: creates it, locks it (one process at a time),
 * and refuses to write over an existing run unless resuming it or `force` is given. With `force`,
 * the old run's files are first moved aside and removed, so that none of its checkpoints, metrics
 * or models mix with the new run's.
 */
export async function claimRunDir(runDir: string, options: { resume?: boolean; force?: boolean }): Promise<RunLock> {
  const notARun = () => new FrugalInputError(`${runDir} is not a run directory (it has no recipe.json); give the directory \`frugal train\` wrote`);
  if (options.resume && !existsSync(join(runDir, 'recipe.json'))) throw notARun();
  await mkdir(runDir, { recursive: true });
  const lock = await lockRunDir(runDir);
  try {
    const holdsRun = existsSync(join(runDir, 'recipe.json'));
    if (options.resume && !holdsRun) throw notARun();
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

/** Moves every entry of a run directory but its lock into one hidden folder (one rename each), then removes it. */
async function clearRun(runDir: string): Promise<void> {
  const aside = join(runDir, `.replaced-${randomBytes(4).toString('hex')}`);
  await mkdir(aside);
  for (const entry of await readdir(runDir)) {
    if (entry === RUN_LOCK_FILE || join(runDir, entry) === aside) continue;
    await rename(join(runDir, entry), join(aside, entry));
  }
  await rm(aside, { recursive: true, force: true });
}
