import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_LOCK_FILE } from '../io/run-lock.js';
import { claimRunDir, refuseRunDirInData } from './run-dir.js';

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

  it('refuses a folder of other files, with force too, and leaves it as it is', async () => {
    const dir = join(root, `plain-${n++}`);
    mkdirSync(join(dir, 'photos'), { recursive: true });
    writeFileSync(join(dir, 'notes.txt'), 'mine');
    for (const options of [{}, { force: true }]) {
      await expect(claimRunDir(dir, options)).rejects.toThrow(
        `Run directory ${dir} holds files but no run (notes.txt, photos); give a new or empty directory for the run, so that nothing there mixes with it or is removed by --force`,
      );
    }
    expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'photos']);
  });

  it('takes a new or empty directory, and refuses a file', async () => {
    const empty = join(root, `empty-${n++}`);
    mkdirSync(empty);
    await (await claimRunDir(empty, {})).release();
    await (await claimRunDir(join(root, `new-${n++}`, 'run'), {})).release();
    const file = join(root, `file-${n++}`);
    writeFileSync(file, 'mine');
    await expect(claimRunDir(file, {})).rejects.toThrow(`Run directory ${file} is a file; give a directory for the run`);
  });

  it('removes the folders it made when the run leaves them empty, and keeps those it found', async () => {
    const top = join(root, `made-${n++}`);
    await (await claimRunDir(join(top, 'runs', 'refused'), {})).release();
    expect(existsSync(top)).toBe(false);
    mkdirSync(join(top, 'runs'), { recursive: true });
    await (await claimRunDir(join(top, 'runs', 'refused'), {})).release();
    expect(readdirSync(top)).toEqual(['runs']);
    expect(readdirSync(join(top, 'runs'))).toEqual([]);
    const kept = await claimRunDir(join(top, 'runs', 'trained'), {});
    writeFileSync(join(top, 'runs', 'trained', 'recipe.json'), '{}');
    await kept.release();
    expect(readdirSync(join(top, 'runs', 'trained'))).toEqual(['recipe.json']);
  });

  it('lets one of several claims of a new directory win, and refuses the others as in use', async () => {
    const dir = join(root, `raced-${n++}`);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => claimRunDir(dir, {})));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(String(r.reason)).toContain(`Run directory ${dir} is in use by process ${process.pid}`);
    await (results.find((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
  });

  it('refuses a run directory inside a folder the dataset reads images from, and takes one beside it', () => {
    const photos = join(root, 'photos');
    const params = { dir: photos, testDir: join(root, 'test') };
    expect(() => refuseRunDirInData(join(photos, 'runs', 'x'), 'image-folder', params, ['dir', 'testDir'])).toThrow(
      `Run directory ${join(photos, 'runs', 'x')} lies inside data.params.dir ("${photos}"), the folder dataset "image-folder" reads images from: ` +
        "its files would be read as images there. Give a run directory outside it (--run-dir, or the recipe's output.dir)",
    );
    expect(() => refuseRunDirInData(photos, 'image-folder', params, ['dir'])).toThrow(/lies inside data\.params\.dir/);
    refuseRunDirInData(join(root, 'runs', 'x'), 'image-folder', params, ['dir', 'testDir']);
    refuseRunDirInData(join(root, 'photos-runs'), 'image-folder', params, ['dir', 'testDir']);
    refuseRunDirInData(join(photos, 'runs'), 'mnist', params);
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
