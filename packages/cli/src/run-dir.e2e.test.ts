import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalAsync, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-run-dir-'));
const frugal = (args: string[]) => frugalSync(args, root);
const writeRecipe = (file: string, epochs: number, extra: Record<string, unknown> = {}) =>
  writeFileSync(join(root, file), JSON.stringify(barsRecipe(root, epochs, extra)));
const checkpointsOf = (runDir: string) => readdirSync(join(runDir, 'checkpoints')).filter((f) => f.startsWith('epoch-')).sort();
const latestOf = (runDir: string) => JSON.parse(readFileSync(join(runDir, 'checkpoints', 'latest.json'), 'utf8')).checkpoint as string;

beforeAll(async () => {
  requireBuiltCli();
  await writeBarsFolder(join(root, 'train'), 8, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('run directories (the binary)', () => {
  it('--force replaces the old run entirely: its checkpoints and metrics are gone, the new ones kept and resumable', () => {
    writeRecipe('long.json', 3, { name: 'forced' });
    expect(frugal(['train', 'long.json', '--quiet']).code).toBe(0);
    const runDir = join(root, 'runs', 'forced');
    expect(checkpointsOf(runDir).at(-1)).toMatch(/^epoch-0003-/);

    writeRecipe('short.json', 1, { name: 'forced' });
    const forced = frugal(['train', 'short.json', '--force', '--quiet']);
    expect(forced.stderr).toBe('');
    expect(forced.code).toBe(0);
    expect(checkpointsOf(runDir)).toEqual(['epoch-0001-step-0000003']);
    expect(latestOf(runDir)).toBe('epoch-0001-step-0000003');
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(runDir, 'recipe.json'), 'utf8')).train.epochs).toBe(1);
    expect(readdirSync(runDir).filter((f) => f.startsWith('.'))).toEqual([]);
    expect(frugal(['train', '--resume', runDir, '--quiet']).code).toBe(0);
  });

  it('refuses a run directory that a live process holds, naming it, and takes over a stale lock', () => {
    writeRecipe('locked.json', 1, { name: 'locked' });
    const runDir = join(root, 'runs', 'locked');
    frugal(['train', 'locked.json', '--quiet']);
    writeFileSync(join(runDir, '.frugal-run.lock'), JSON.stringify({ pid: process.pid, host: hostname(), started: 'now' }));
    const held = frugal(['train', '--resume', runDir]);
    expect(held.code).toBe(2);
    expect(oneCleanLine(held.stderr)).toBe(true);
    expect(held.stderr).toMatch(new RegExp(`is in use by process ${process.pid} on host ${hostname()}`));

    writeFileSync(join(runDir, '.frugal-run.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname(), started: 'then' }));
    const stale = frugal(['train', '--resume', runDir, '--quiet']);
    expect(stale.stderr).toBe('');
    expect(stale.code).toBe(0);
    expect(existsSync(join(runDir, '.frugal-run.lock'))).toBe(false);
  });

  it('lets only one of two processes started together on one --run-dir train', async () => {
    writeRecipe('twin.json', 2, { name: 'twin' });
    const runDir = join(root, 'twins');
    const [a, b] = await Promise.all([
      frugalAsync(['train', 'twin.json', '--run-dir', runDir, '--quiet'], root).done,
      frugalAsync(['train', 'twin.json', '--run-dir', runDir, '--quiet'], root).done,
    ]);
    expect([a.code, b.code].sort()).toEqual([0, 2]);
    const loser = a.code === 2 ? a : b;
    expect(loser.stderr).toMatch(/is in use by process \d+|already holds a run/);
    expect(readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('stops within a step on Ctrl-C, even in a one-epoch run, exits 130 and resumes from that step', async () => {
    writeRecipe('slow.json', 1, { name: 'slow', train: { epochs: 1, batchSize: 1, optimizer: { name: 'adam', lr: 0.001, weightDecay: 0 } } });
    const runDir = join(root, 'runs', 'slow');
    const run = frugalAsync(['train', 'slow.json'], root);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (!/Training resnet20/.test(run.stderr())) return;
        clearInterval(timer);
        setTimeout(() => {
          run.child.kill('SIGINT');
          resolve();
        }, 300);
      }, 20);
    });
    const sentAt = Date.now();
    const interrupted = await run.done;
    expect(interrupted.code).toBe(130);
    expect(Date.now() - sentAt).toBeLessThan(5_000);
    expect(interrupted.stderr).toContain('Interrupt received: finishing the current step and writing a checkpoint... (interrupt again to stop at once)');
    expect(interrupted.stderr).toMatch(/Training interrupted at epoch 1, step \d+; checkpoint written to .*\nResume with: frugal train --resume /);
    const state = JSON.parse(readFileSync(join(runDir, 'checkpoints', latestOf(runDir), 'state.json'), 'utf8'));
    expect(state.stepInEpoch).toBeGreaterThan(0);
    expect(state.stepInEpoch).toBeLessThan(24);
    const resumed = frugal(['train', '--resume', runDir, '--json']);
    expect(resumed.code).toBe(0);
    expect(checkpointsOf(runDir).at(-1)).toBe('epoch-0001-step-0000024');
  });

  it('exits 130 when Ctrl-C comes after training finished, and --resume then writes the report', async () => {
    writeRecipe('late.json', 1, { name: 'late' });
    const runDir = join(root, 'runs', 'late');
    const run = frugalAsync(['train', 'late.json'], root);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (!existsSync(join(runDir, 'model', 'frugal.json'))) return;
        clearInterval(timer);
        run.child.kill('SIGINT');
        resolve();
      }, 5);
    });
    const late = await run.done;
    rmSync(join(runDir, 'report.html'), { force: true });
    expect(late.code).toBe(130);
    expect(late.stderr).toMatch(/Interrupted (after|while writing the report, after) training had finished: the model is saved in /);
    expect(frugal(['train', '--resume', runDir, '--quiet']).code).toBe(0);
    expect(existsSync(join(runDir, 'report.html'))).toBe(true);
  });

  it('resumes from the earlier checkpoint when the newest is truncated, saying so', () => {
    writeRecipe('trunc.json', 3, { name: 'trunc' });
    const runDir = join(root, 'runs', 'trunc');
    expect(frugal(['train', 'trunc.json', '--quiet']).code).toBe(0);
    truncateSync(join(runDir, 'checkpoints', 'epoch-0003-step-0000009', 'tensors.bin'), 10);
    const resumed = frugal(['train', '--resume', runDir]);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/Passed over a checkpoint: .*epoch-0003-step-0000009 is unreadable/);
    expect(resumed.stderr).toMatch(/Resuming from the earlier checkpoint .*epoch-0002-step-0000006/);
    expect(latestOf(runDir)).toBe('epoch-0003-step-0000009');
  });

  it('leaves no run behind when the data fails to load, so the corrected recipe needs no --force', () => {
    writeRecipe('nodata.json', 1, { name: 'nodata', data: { dataset: 'image-folder', params: { dir: join(root, 'missing'), size: 12 } } });
    const failed = frugal(['train', 'nodata.json']);
    expect(failed.code).toBe(2);
    expect(existsSync(join(root, 'runs', 'nodata', 'recipe.json'))).toBe(false);
    writeRecipe('nodata.json', 1, { name: 'nodata' });
    expect(frugal(['train', 'nodata.json', '--quiet']).code).toBe(0);
  });

  it('leaves no run behind when model.init is refused after the data loaded, so the corrected recipe takes the directory', () => {
    writeRecipe('noinit.json', 1, { name: 'noinit' });
    const failed = frugal(['train', 'noinit.json', '--set', `model.init=${join(root, 'nowhere')}`]);
    expect(failed.code).toBe(2);
    expect(oneCleanLine(failed.stderr)).toBe(true);
    expect(failed.stderr).toMatch(/nowhere/);
    expect(existsSync(join(root, 'runs', 'noinit', 'recipe.json'))).toBe(false);
    expect(frugal(['train', 'noinit.json', '--quiet']).code).toBe(0);
    expect(JSON.parse(readFileSync(join(root, 'runs', 'noinit', 'recipe.json'), 'utf8')).model.init).toBeUndefined();
  });
});
