import { createBackendProviders } from '@frugal/runtime-gpu';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { frugalSync, requireBuiltCli } from './testing/e2e.js';

const native = await createBackendProviders().native.probe();
const cwd = mkdtempSync(join(tmpdir(), 'frugal-threads-'));

describe('frugal --threads', () => {
  beforeAll(() => requireBuiltCli());

  it('refuses a thread count that is not a whole number ≥ 1, with exit 2 and the fix', () => {
    const r = frugalSync(['--threads', '0', 'doctor'], cwd);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('frugal: --threads 0: give a whole number of threads from 1 to 1024 (e.g. --threads 2).');
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
});
