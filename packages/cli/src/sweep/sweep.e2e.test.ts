import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createBackendProviders } from '@frugal/runtime-gpu';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalAsync, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from '../testing/e2e.js';

let root: string;

beforeAll(async () => {
  requireBuiltCli();
  root = await mkdtemp(join(tmpdir(), 'frugal-sweep-'));
  await writeBarsFolder(join(root, 'train'), 4, 1);
  await writeBarsFolder(join(root, 'test'), 2, 2);
  writeFileSync(join(root, 'recipe.json'), JSON.stringify(barsRecipe(root, 1)));
});
afterAll(() => rm(root, { recursive: true, force: true }));

const native = await createBackendProviders().native.probe();

describe('frugal sweep, in one process', () => {
  it.skipIf(!native.available)(`runs on the recipe's backend and threads, which its report names${native.available ? '' : ` (skipped: ${native.reason})`}`, () => {
    writeFileSync(join(root, 'one-thread.json'), JSON.stringify(barsRecipe(root, 1, { backend: 'native', threads: 1 })));
    const r = frugalSync(['sweep', 'one-thread.json', '--run-dir', 'one-thread'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(root, 'one-thread', 'report.html'), 'utf8')).toContain('native (1 thread)');
  });

  it('runs every setting for every seed; a table of mean ± sd per setting, sweep.json and report.html; the same seed gives the same number', () => {
    const r = frugalSync(['sweep', 'recipe.json', '--seeds', '0-1', '--set', 'train.optimizer.lr=0.01,0.03', '--run-dir', 'sw'], root);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/setting\s+seeds\s+test accuracy \(mean ± sd\)/);
    expect(r.stdout).toMatch(/train\.optimizer\.lr=0\.01\s+2\s+\d+\.\d ± \d+\.\d%/);
    expect(r.stdout).toMatch(/train\.optimizer\.lr=0\.03\s+2\s+\d+\.\d ± \d+\.\d%/);
    const sweep = JSON.parse(readFileSync(join(root, 'sw', 'sweep.json'), 'utf8'));
    expect(sweep.runs.map((x: { setting: string; seed: number }) => `${x.setting}/${x.seed}`)).toEqual([
      'train.optimizer.lr=0.01/0', 'train.optimizer.lr=0.01/1', 'train.optimizer.lr=0.03/0', 'train.optimizer.lr=0.03/1',
    ]);
    const lr = JSON.parse(readFileSync(join(root, 'sw', 'train.optimizer.lr-0.03', 'seed-1', 'recipe.json'), 'utf8'));
    expect([lr.seed, lr.train.optimizer.lr]).toEqual([1, 0.03]);
    expect(readFileSync(join(root, 'sw', 'report.html'), 'utf8')).toContain('Test accuracy per setting');
    // The same recipe and seed alone gives the same accuracy.
    const again = frugalSync(['sweep', 'recipe.json', '--seeds', '1', '--set', 'train.optimizer.lr=0.03', '--run-dir', 'sw-again', '--json'], root);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).runs[0].accuracy).toBe(sweep.runs[3].accuracy);
  });

  it('stops on Ctrl-C saying how many runs are done and kept (exit 130); the same command goes on from them', async () => {
    const args = ['sweep', 'recipe.json', '--seeds', '0-2', '--run-dir', 'sw-stopped'];
    const run = frugalAsync(args, root);
    await new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        if (!run.stderr().includes('recipe, seed 1')) return;
        clearInterval(timer);
        run.child.kill('SIGINT');
        resolve();
      }, 20);
    });
    const stopped = await run.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`Interrupted: 1 of 3 runs are done, kept in ${join(root, 'sw-stopped')}; the same command goes on from them`);
    const rest = frugalSync(args, root);
    expect(rest.code, rest.stderr).toBe(0);
    expect(rest.stderr).not.toContain('recipe, seed 0');
    expect(rest.stderr).toContain('recipe, seed 1');
  });

  it('refuses bad input before anything trains: exit 2, one line naming the flag or field', () => {
    const cases: [string[], RegExp][] = [
      [['--set', 'lr'], /--set: got "lr"; expected FIELD=VALUE/],
      [['--set', 'train.optimizer.lr=0.1', '--set', 'train.optimizer.lr=0.2'], /--set: train\.optimizer\.lr is given twice/],
      [['--set', 'train.epochs=0,x'], /^frugal: train\.epochs=0, seed \d+: recipe\.json\.train\.epochs: got 0; expected number to be >=1/],
      [['--seeds', '3-1'], /--seeds must list whole numbers/],
      [['--queue', 'redis:/x'], /--queue: got "redis:\/x"/],
      [['--set', 'precision=float32,bfloat16'], /--set: precision is chosen once for the whole sweep, whose runs share a process; set it in the recipe \(or with --precision\) and run one sweep per value/],
    ];
    for (const [args, message] of cases) {
      const r = frugalSync(['sweep', 'recipe.json', '--run-dir', 'bad', ...args], root);
      expect(r.code, args.join(' ')).toBe(2);
      expect(oneCleanLine(r.stderr), r.stderr).toBe(true);
      expect(r.stderr).toMatch(message);
    }
    expect(existsSync(join(root, 'bad', 'sweep.json'))).toBe(false);
    const twice = frugalSync(['sweep', 'recipe.json', '--run-dir', 'sw'], root);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/already holds a sweep; pass --force/);
  });
});
