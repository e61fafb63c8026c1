import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { createPlugin, defaultFolder, factoryName, opName, VERSIONS } from './create-plugin.js';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const cli = join(repo, 'tools', 'create-plugin', 'src', 'cli.js');
// Outside the repository: the generated package must not lean on the monorepo's files.
const scratch = mkdtempSync(join(tmpdir(), 'frugal-create-plugin-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function run(cmd, args, cwd, env = {}) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 300_000, env: { ...process.env, npm_config_update_notifier: 'false', ...env } });
  return { code: r.status, out: `${r.stdout}${r.stderr}`, stdout: r.stdout, stderr: r.stderr };
}

describe('createPlugin', () => {
  it('names the factory and the default folder after the package', () => {
    expect(factoryName('@acme/frugal-plugin-blur')).toBe('blur');
    expect(factoryName('@frugal/models-vit')).toBe('modelsVit');
    expect(factoryName('frugal-plugin-class')).toBe('classPlugin');
    expect(factoryName('@acme/default')).toBe('defaultPlugin');
    expect(opName('@frugal/models-vit')).toBe('models-vit-invert');
    expect(opName('@x/frugal-plugin')).toBe('frugal-plugin-invert');
    expect(opName('@acme/frugal-plugin-blur.v2')).toBe('blur-v2-invert');
    expect(defaultFolder('@acme/frugal-plugin-blur')).toBe('frugal-plugin-blur');
    expect(VERSIONS['@frugal/core']).toMatch(/^\^\d+\.\d+\.\d+$/);
  });

  it('writes a self-contained package: no monorepo references, its own tools, publishable', () => {
    const dir = join(scratch, 'standalone');
    const written = createPlugin({ name: '@acme/frugal-plugin-blur', dir, description: 'Blur for Frugal' });
    expect(written.sort()).toEqual(
      ['.gitignore', 'README.md', 'package.json', 'src/index.test.ts', 'src/index.ts', 'tsconfig.json', 'tsconfig.lib.json', 'vitest.config.ts'].sort(),
    );
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: '@acme/frugal-plugin-blur', sideEffects: false, type: 'module' });
    expect(pkg.private).toBeUndefined();
    expect(pkg.exports['.']).toEqual({ types: './dist/index.d.ts', default: './dist/index.js' });
    expect(Object.keys(pkg.devDependencies)).toEqual(expect.arrayContaining(['@types/node', 'typescript', 'vitest']));
    for (const file of ['tsconfig.json', 'tsconfig.lib.json']) {
      const config = JSON.parse(readFileSync(join(dir, file), 'utf8'));
      expect(config.references, file).toBeUndefined();
      expect(String(config.extends ?? './tsconfig.json'), file).toBe('./tsconfig.json');
    }
    expect(readFileSync(join(dir, 'vitest.config.ts'), 'utf8')).not.toContain('@frugal/source');
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain("import { blur } from '@acme/frugal-plugin-blur'");
  });

  it("builds, passes its own tests and packs, in a folder outside the repository", () => {
    const dir = join(scratch, 'frugal-plugin-blur');
    const made = run(process.execPath, [cli, '@acme/frugal-plugin-blur'], scratch, { INIT_CWD: scratch });
    expect(made.code, made.out).toBe(0);
    expect(made.stdout).toContain('cd frugal-plugin-blur && npm install && npm test');
    // The packages its package.json asks for, as npm install would provide them (taken from this
    // repository's install; installing from a registry is tested by tools/registry).
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const test = run('npm', ['test'], dir);
    expect(test.out).toMatch(/3 passed/);
    expect(test.code, test.out).toBe(0);
    const pack = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], dir);
    expect(pack.code, pack.out).toBe(0);
    const files = JSON.parse(pack.stdout)[0].files.map((f) => f.path).sort();
    expect(files).toEqual(['README.md', 'dist/index.d.ts', 'dist/index.js', 'package.json']);
  });

  it('writes TypeScript that compiles for a name that is a reserved word', () => {
    const dir = join(scratch, 'frugal-plugin-class');
    createPlugin({ name: 'frugal-plugin-class', dir });
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect(readFileSync(join(dir, 'src', 'index.ts'), 'utf8')).toContain('export function classPlugin(');
    const tsc = run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '--noEmit', '-p', 'tsconfig.json'], dir);
    expect(tsc.code, tsc.out).toBe(0);
  });

  it('refuses an existing folder and a bad package name', () => {
    const dir = join(scratch, 'taken');
    mkdirSync(dir, { recursive: true });
    expect(() => createPlugin({ name: '@acme/x', dir })).toThrow(`${dir} already exists`);
    expect(() => createPlugin({ name: 'Bad Name', dir: join(scratch, 'new') })).toThrow('"Bad Name" is not a valid npm package name');
    expect(() => createPlugin({ name: 'node_modules', dir: join(scratch, 'new') })).toThrow('"node_modules" is not a valid npm package name');
    expect(existsSync(join(scratch, 'new'))).toBe(false);
  });

  it('run through npm from a subfolder (INIT_CWD), makes the plugin there and says how to reach it from there', () => {
    const typedIn = join(scratch, 'plugins');
    mkdirSync(typedIn, { recursive: true });
    const made = run(process.execPath, [cli, '@acme/frugal-plugin-sub'], scratch, { INIT_CWD: typedIn });
    expect(made.code, made.out).toBe(0);
    expect(existsSync(join(typedIn, 'frugal-plugin-sub', 'package.json'))).toBe(true);
    expect(made.stdout).toContain('cd frugal-plugin-sub && npm install && npm test');
  });

  it('runs as a command: --help exits 0, bad input exits 2 with one line', () => {
    const help = run(process.execPath, [cli, '--help'], scratch);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('npm create @frugal/plugin <package-name>');
    for (const args of [['Bad Name'], [], ['--nope']]) {
      const r = run(process.execPath, [cli, ...args], scratch);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(/^create-plugin: /);
    }
  });
});
