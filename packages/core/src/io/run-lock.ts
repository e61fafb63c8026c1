import { randomBytes } from 'node:crypto';
import { link, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { FrugalInputError } from '../errors.js';

/** The lock file inside a run directory while a process owns it. */
export const RUN_LOCK_FILE = '.frugal-run.lock';

/** Whether a run directory's entry is its lock, or a lock being written or removed by a process claiming it. */
export function isRunLockEntry(name: string): boolean {
  return name === RUN_LOCK_FILE || name.startsWith(`${RUN_LOCK_FILE}.`);
}

export interface RunLockOwner {
  readonly pid: number;
  readonly host: string;
  readonly started: string;
}

export interface RunLock {
  readonly file: string;
  /** Removes the lock file if it is still ours. */
  release(): Promise<void>;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function readOwner(file: string): Promise<RunLockOwner | undefined> {
  try {
    const owner = JSON.parse(await readFile(file, 'utf8')) as RunLockOwner;
    return Number.isInteger(owner.pid) && typeof owner.host === 'string' ? owner : undefined;
  } catch {
    return undefined;
  }
}

/** A lock is stale when its owner ran on this host and is gone, or when it is unreadable and old. */
async function isStale(file: string, owner: RunLockOwner | undefined): Promise<boolean> {
  if (owner) return owner.host === hostname() && !isAlive(owner.pid);
  const info = await stat(file).catch(() => undefined);
  // A lock being written right now is unreadable for a moment; one unreadable for a minute is debris.
  return info !== undefined && Date.now() - info.mtimeMs > 60_000;
}

/**
 * Makes this process the only owner of `runDir` (which must exist): creates its lock file with
 * this process's pid and host. A lock left by a process that is gone (same host) is taken over;
 * a live one is an error naming its owner.
 */
export async function lockRunDir(runDir: string): Promise<RunLock> {
  const file = join(runDir, RUN_LOCK_FILE);
  const me: RunLockOwner = { pid: process.pid, host: hostname(), started: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    // The lock appears whole: written under a name of our own, then linked in place, which fails if one exists.
    const draft = `${file}.${randomBytes(4).toString('hex')}.draft`;
    try {
      await writeFile(draft, JSON.stringify(me), { flag: 'wx' });
      await link(draft, file);
      return {
        file,
        async release() {
          const owner = await readOwner(file);
          if (owner?.pid === me.pid && owner.host === me.host) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(draft, { force: true });
    }
    const owner = await readOwner(file);
    if (!(await isStale(file, owner))) {
      const who = owner ? `process ${owner.pid} on host ${owner.host} (since ${owner.started})` : 'another process';
      throw new FrugalInputError(
        `Run directory ${runDir} is in use by ${who}; wait for it to finish, or choose another directory. ` +
          `If that process is gone, delete ${file}`,
      );
    }
    // Stale: move it aside under a name of our own, then remove that, and try again.
    const aside = `${file}.${randomBytes(4).toString('hex')}.stale`;
    if (await rename(file, aside).then(() => true, () => false)) await rm(aside, { force: true });
  }
  throw new FrugalInputError(`Run directory ${runDir} is being claimed by several processes at once; run one at a time`);
}
