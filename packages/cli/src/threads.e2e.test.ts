import { createBackendProviders } from '@frugal/runtime-gpu';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

const native = await createBackendProviders().native.probe();
const cwd = mkdtempSync(join(tmpdir(), 'frugal-threads-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

describe('frugal --threads', () => {
  beforeAll(async () => {
    requireBuiltCli();
    await writeBarsFolder(join(cwd, 'train'), 4, 0);
    await writeBarsFolder(join(cwd, 'test'), 2, 5);
  });

  it('refuses a thread count that is not a whole number ≥ 1, with exit 2 and the fix', () => {
    const r = frugalSync(['--threads', '0', 'doctor'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('frugal: --threads 0: give a whole number of threads from 1 to 1024 (e.g. --threads 2).');
  });

  it("refuses a recipe's threads that are not a whole number ≥ 1, naming the field", () => {
    writeFileSync(join(cwd, 'bad-threads.json'), JSON.stringify(barsRecipe(cwd, 1, { threads: 0 })));
    const r = frugalSync(['train', 'bad-threads.json'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/threads/);
  });

  it.skipIf(!native.available)(`trains on the recipe's threads, and --threads wins over them${native.available ? '' : ` (skipped: ${native.reason})`}`, () => {
    writeFileSync(join(cwd, 'one-thread.json'), JSON.stringify(barsRecipe(cwd, 1, { name: 'one-thread', backend: 'native', threads: 1 })));
    const fromRecipe = frugalSync(['train', 'one-thread.json', '--force'], cwd);
    expect(fromRecipe.code, fromRecipe.stderr).toBe(0);
    expect(fromRecipe.stderr).toMatch(/Backend: native \(1 thread\)/);
    const fromFlag = frugalSync(['--threads', '2', 'train', 'one-thread.json', '--force'], cwd);
    expect(fromFlag.code, fromFlag.stderr).toBe(0);
    expect(fromFlag.stderr).toMatch(/Backend: native \(2 threads\)/);
  });

  it.skipIf(!native.available)(`sets the native backend's threads, which doctor reports${native.available ? '' : ` (skipped: ${native.reason})`}`, () => {
    for (const threads of [1, 2]) {
      const r = frugalSync(['--json', '--threads', String(threads), 'doctor'], cwd);
      expect(r.code, r.stderr).toBe(0);
      const report = JSON.parse(r.stdout) as { backend: string; threads: number; backendDetails: Record<string, unknown> };
      expect(report.backend).toBe('native');
      expect(report.threads).toBe(threads);
      expect(report.backendDetails['oneDNN']).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it.skipIf(!native.available)(`a ladder's rungs side by side say how they share the threads, and warn when they ask for more than the cores${native.available ? '' : ` (skipped: ${native.reason})`}`, () => {
    const ladder = { ...barsRecipe(cwd, 1, { name: 'side-by-side', backend: 'native' }), rungs: [{ name: 'one' }, { name: 'two', start: 'fresh' }] };
    writeFileSync(join(cwd, 'side-by-side.json'), JSON.stringify(ladder));
    const cores = cpus().length;
    const shared = frugalSync(['ladder', 'side-by-side.json', '--jobs', '2', '--run-dir', join(cwd, 'shared')], cwd);
    expect(shared.code, shared.stderr).toBe(0);
    const each = Math.max(1, Math.floor(cores / 2));
    const line = `2 rungs at a time, ${each} thread${each === 1 ? '' : 's'} each`;
    // on one core, even one thread each is more than it has
    expect(shared.stderr).toMatch(new RegExp(cores >= 2 ? `^${line}$` : `^${line}: `, 'm'));
    const crowded = frugalSync(['--threads', String(cores), 'ladder', 'side-by-side.json', '--jobs', '2', '--run-dir', join(cwd, 'crowded')], cwd);
    expect(crowded.code, crowded.stderr).toBe(0);
    expect(crowded.stderr).toContain(`2 rungs at a time, ${cores} thread${cores === 1 ? '' : 's'} each: ${2 * cores} threads on ${cores} cores, so they slow each other down`);
    // The ladder file's threads, as a recipe's for frugal train.
    writeFileSync(join(cwd, 'ladder-threads.json'), JSON.stringify({ ...ladder, threads: cores }));
    const fromFile = frugalSync(['ladder', 'ladder-threads.json', '--jobs', '2', '--run-dir', join(cwd, 'from-file')], cwd);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stderr).toContain(`2 rungs at a time, ${cores} thread${cores === 1 ? '' : 's'} each: ${2 * cores} threads on ${cores} cores`);
  }, 180_000);
});
