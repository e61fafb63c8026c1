import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lockRunDir, RUN_LOCK_FILE } from './run-lock.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
const fresh = () => mkdtempSync(join(root, `r${n++}-`));

/** The pid of a process that has exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('lockRunDir', () => {
  it('writes the owner pid and host, refuses a second owner, and frees the directory on release', async () => {
    const dir = fresh();
    const lock = await lockRunDir(dir);
    const owner = JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8'));
    expect(owner).toMatchObject({ pid: process.pid, host: hostname() });
    await expect(lockRunDir(dir)).rejects.toThrow(new RegExp(`is in use by process ${process.pid} on host ${hostname()}`));
    await lock.release();
    expect(existsSync(join(dir, RUN_LOCK_FILE))).toBe(false);
    await (await lockRunDir(dir)).release();
  });

  it('takes over a stale lock left by a process that is gone', async () => {
    const dir = fresh();
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), started: 'then' }));
    const lock = await lockRunDir(dir);
    expect(JSON.parse(readFileSync(join(dir, RUN_LOCK_FILE), 'utf8')).pid).toBe(process.pid);
    await lock.release();
  });

  it('does not take over a lock held on another host', async () => {
    const dir = fresh();
    writeFileSync(join(dir, RUN_LOCK_FILE), JSON.stringify({ pid: deadPid(), host: `${hostname()}-elsewhere`, started: 'then' }));
    await expect(lockRunDir(dir)).rejects.toThrow(/on host .*-elsewhere.*If that process is gone, delete/);
  });

  it('lets exactly one of many concurrent claims win', async () => {
    const dir = fresh();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => lockRunDir(dir)));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    // Each loser finds the winner's lock whole, so it names the process, and no draft is left behind.
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toMatch(`is in use by process ${process.pid}`);
    expect(readdirSync(dir)).toEqual([RUN_LOCK_FILE]);
  });
});
