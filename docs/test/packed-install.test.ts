import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appLockfile } from './app-lockfile.js';
import { docsDir } from './built-site.js';

/**
 * Installs packages as users will: `npm pack` of the built packages, then an offline install of
 * only those tarballs (and TensorFlow.js from the npm cache) into an empty project, which then
 * type-checks and runs an example. Proves `exports`, `files` and the declared dependencies.
 */
const repo = join(docsDir, '..');
const PACKAGES = [
  { name: '@frugal/core', dir: 'packages/core' },
  { name: '@frugal/augment', dir: 'packages/augment' },
  { name: '@frugal/models-resnet', dir: 'packages/models-resnet' },
  { name: '@frugal/torch-compat', dir: 'packages/torch-compat' },
  { name: '@acme/frugal-plugin-example', dir: 'docs/examples/third-party-plugin' },
];

const work = mkdtempSync(join(tmpdir(), 'frugal-packed-'));
const app = join(work, 'app');
let packed: { name: string; version: string; filename: string; integrity: string; files: { path: string }[] }[] = [];

function run(cmd: string, args: string[], cwd: string, timeout = 240_000): string {
  const result = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout, env: { ...process.env, npm_config_update_notifier: 'false' } });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed with ${result.status}:\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  const unbuilt = PACKAGES.filter((p) => !existsSync(join(repo, p.dir, 'dist', 'index.js')));
  if (unbuilt.length) run('npx', ['nx', 'run-many', '-t', 'build', '--output-style=static', '-p', ...unbuilt.map((p) => p.name)], repo, 600_000);
  packed = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', work, ...PACKAGES.flatMap((p) => ['-w', p.name])], repo));
}, 600_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the packages installed from their tarballs', () => {
  it('pack only what users need: dist (no tests) and the README', () => {
    expect(packed.map((p) => p.name).sort()).toEqual(PACKAGES.map((p) => p.name).sort());
    for (const p of packed) {
      const files = p.files.map((f) => f.path);
      expect(files, p.name).toContain('dist/index.js');
      expect(files, p.name).toContain('dist/index.d.ts');
      expect(files, p.name).toContain('package.json');
      expect(files.filter((f) => f.startsWith('src/') || /\.test\./.test(f)), p.name).toEqual([]);
    }
  });

  it('install offline into an empty project, type-check and run an example there', () => {
    mkdirSync(join(app, 'src'), { recursive: true });
    const extra = {
      '@tensorflow/tfjs-backend-cpu': '^4.22.0',
      '@tensorflow/tfjs-core': '^4.22.0',
      '@tensorflow/tfjs-layers': '^4.22.0',
      zod: '^4.0.0',
    };
    const own = packed.map((p) => ({ ...p, dir: PACKAGES.find((q) => q.name === p.name)?.dir ?? '' }));
    const lock = appLockfile(repo, 'frugal-packed-app', own, extra, work);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'frugal-packed-app', private: true, type: 'module', dependencies: lock.packages['']?.dependencies }, null, 2));
    writeFileSync(join(app, 'package-lock.json'), JSON.stringify(lock, null, 2));
    // Offline: every tarball comes from the npm cache that the repository's install filled.
    run('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], app);
    expect(readdirSync(join(app, 'node_modules', '@frugal')).sort()).toEqual(['augment', 'core', 'models-resnet', 'torch-compat']);

    copyFileSync(join(docsDir, 'examples', 'plugin-recipe.ts'), join(app, 'src', 'plugin-recipe.ts'));
    writeFileSync(
      join(app, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { target: 'ES2022', lib: ['ES2022', 'DOM'], module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, types: [], outDir: 'dist', rootDir: 'src' },
        include: ['src'],
      }),
    );
    // The published types are enough to compile the example (no @frugal/source condition here).
    run(process.execPath, [join(repo, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);

    const script = "const { pluginRecipe } = await import('./dist/plugin-recipe.js'); console.log(JSON.stringify(await pluginRecipe({ epochs: 8 })));";
    const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: app, encoding: 'utf8', timeout: 240_000 });
    const result = JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as { accuracy: number; resnet20Logits: number[]; plugins: string[] };
    expect(result.accuracy).toBeGreaterThan(0.8);
    expect(result.resnet20Logits).toEqual([2, 3]);
    expect(result.plugins).toEqual(['@frugal/core', 'squares-data', '@frugal/augment', '@frugal/models-resnet', '@acme/frugal-plugin-example']);
  });
});
