import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_LOCK_FILE } from '../io/run-lock.js';
import { claimRunDir } from './run-dir.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-run-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let n = 0;

/** A run directory holding an old run's files, and a folder that is not a run. */
function oldRun(): string {
  const dir = join(root, `run-${n++}`);
  mkdirSync(join(dir, 'checkpoints', 'epoch-0009-step-0000090'), { recursive: true });
  writeFileSync(join(dir, 'recipe.json'), '{}');
  writeFileSync(join(dir, 'metrics.jsonl'), '{"epoch":1}\n');
  return dir;
}

describe('claimRunDir', () => {
  it('refuses to write over a run without resume or force', async () => {
    await expect(claimRunDir(oldRun(), {})).rejects.toThrow(/already holds a run; resume it with --resume/);
  });

  it('with force, removes every file of the old run and keeps only its own lock', async () => {
    const dir = oldRun();
    const lock = await claimRunDir(dir, { force: true });
    expect(readdirSync(dir)).toEqual([RUN_LOCK_FILE]);
    await lock.release();
    expect(readdirSync(dir)).toEqual([]);
  });

  it('with force, leaves a folder that holds no run as it is', async () => {
    const dir = join(root, `plain-${n++}`);
    mkdirSync(dir);
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    await (await claimRunDir(dir, { force: true })).release();
    expect(readdirSync(dir)).toEqual(['notes.txt']);
  });

  it('on resume, keeps the run, and refuses a folder that holds none without creating it', async () => {
    const dir = oldRun();
    await (await claimRunDir(dir, { resume: true })).release();
    expect(readdirSync(dir).sort()).toEqual(['checkpoints', 'metrics.jsonl', 'recipe.json']);
    const missing = join(root, 'never-made');
    await expect(claimRunDir(missing, { resume: true })).rejects.toThrow(/is not a run directory/);
    expect(existsSync(missing)).toBe(false);
  });
});
