import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { docsDir } from './built-site.js';

/**
 * What `npm pack` of every published package holds: its build, README and package.json, and no
 * tests, test helpers or fixture finders — those live only in a package's `./testing` entry point.
 */
const repo = join(docsDir, '..');
const packagesDir = join(repo, 'packages');

interface Manifest {
  name: string;
  private?: boolean;
  exports?: Record<string, unknown>;
}

const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'package.json')))
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')) as Manifest }))
  .filter((p) => !p.manifest.private);

/** A file that only tests need. */
const TEST_ONLY = /(\.test\.|(^|\/)test-utils|(^|\/)test-support|(^|\/)testing\/|fixture)/;

let packed: { name: string; files: { path: string }[] }[] = [];

beforeAll(() => {
  const unbuilt = packages.filter((p) => !existsSync(join(packagesDir, p.dir, 'dist', 'index.js'))).map((p) => p.manifest.name);
  if (unbuilt.length) {
    const build = spawnSync('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static', '-p', ...unbuilt], { cwd: repo, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`building ${unbuilt.join(', ')} failed:\n${build.stdout}\n${build.stderr}`);
  }
  const args = ['pack', '--dry-run', '--json', ...packages.flatMap((p) => ['-w', p.manifest.name])];
  const result = spawnSync('npm', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`npm ${args.join(' ')} failed:\n${result.stderr}`);
  packed = JSON.parse(result.stdout);
}, 600_000);

describe('the packed file lists', () => {
  it('hold every published package', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(packages.map((p) => p.manifest.name).sort());
  });

  it.each(packages.map((p) => [p.manifest.name, p.manifest] as const))('%s: no tests, test helpers or fixture finders outside ./testing', (name, manifest) => {
    const files = packed.find((p) => p.name === name)?.files.map((f) => f.path) ?? [];
    const testingEntry = manifest.exports !== undefined && './testing' in manifest.exports;
    const stray = files.filter((f) => TEST_ONLY.test(f) && !(testingEntry && f.startsWith('dist/testing/')));
    expect(stray).toEqual([]);
    expect(files).toContain('README.md');
    expect(files.some((f) => f.startsWith('dist/'))).toBe(true);
  });
});
