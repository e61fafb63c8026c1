import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, factoryName } from './create-plugin.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
// Inside the repository (git-ignored tmp/) so that the generated test resolves @frugal/core.
const scratch = join(repo, 'tmp', `create-plugin-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('createPlugin', () => {
  it('names the factory after the package', () => {
    expect(factoryName('@acme/frugal-plugin-blur')).toBe('blur');
    expect(factoryName('@frugal/models-vit')).toBe('modelsVit');
  });

  it('scaffolds a package whose own test passes', () => {
    const dir = join(scratch, 'frugal-plugin-blur');
    mkdirSync(scratch, { recursive: true });
    writeFileSync(join(scratch, 'tsconfig.json'), JSON.stringify({ files: [], references: [] }));
    writeFileSync(join(scratch, 'tsconfig.base.json'), readFileSync(join(repo, 'tsconfig.base.json')));
    const written = createPlugin({ name: '@acme/frugal-plugin-blur', dir, workspaceRoot: scratch, description: 'Blur for Frugal' });
    expect(written.sort()).toEqual(
      ['README.md', 'package.json', 'src/index.test.ts', 'src/index.ts', 'tsconfig.json', 'tsconfig.lib.json', 'tsconfig.spec.json', 'vitest.config.ts'].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/frugal-plugin-blur', sideEffects: false, type: 'module' });
    expect(pkg.exports['.']).toEqual({ '@frugal/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' });
    expect(JSON.parse(readFileSync(join(scratch, 'tsconfig.json'), 'utf8')).references).toEqual([{ path: './frugal-plugin-blur' }]);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain("import { blur } from '@acme/frugal-plugin-blur'");
    const run = spawnSync(process.execPath, [join(repo, 'node_modules', 'vitest', 'vitest.mjs'), 'run'], { cwd: dir, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toMatch(/2 passed/);
    expect(run.status).toBe(0);
  });

  it('refuses an existing folder and a bad package name', () => {
    const dir = join(scratch, 'taken');
    mkdirSync(dir, { recursive: true });
    expect(() => createPlugin({ name: '@acme/x', dir })).toThrow(`${dir} already exists`);
    expect(() => createPlugin({ name: 'Bad Name', dir: join(scratch, 'new') })).toThrow('"Bad Name" is not a valid npm package name');
    expect(existsSync(join(scratch, 'new'))).toBe(false);
  });

  it('runs as a command and exits 2 on bad input', () => {
    const cli = join(repo, 'tools', 'create-plugin', 'src', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'Bad Name'], { cwd: scratch, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('is not a valid npm package name');
  });
});
