import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DNNL_HEADER, probeAddon } from './addon.js';

// The package's build script run on a copy of the package (inside it, so that node-addon-api
// resolves), as npm's install step and `npm run build:addon` run it.
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'tmp'), { recursive: true });
const copy = mkdtempSync(join(root, 'tmp', 'build-'));
for (const part of ['binding.gyp', 'scripts', join('src', 'addon')]) cpSync(join(root, part), join(copy, part), { recursive: true });
const hasLibrary = existsSync(DNNL_HEADER);

// Unoptimised (node-gyp's Makefile puts CXXFLAGS after the package's -O3): what these tests check
// is that the script finds oneDNN and builds an addon that loads, and -O0 compiles a third faster.
const run = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(copy, 'scripts', 'build-addon.mjs'), ...args], { encoding: 'utf8', env: { ...process.env, CXXFLAGS: '-O0', ...env } });

describe('building the addon', () => {
  afterAll(() => rmSync(copy, { recursive: true, force: true }));

  it('at install, without oneDNN: one line saying how to enable it, and a successful install', () => {
    const r = run(['--optional'], { FRUGAL_DNNL_HEADER: join(copy, 'absent.hpp') });
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/oneDNN not found .*apt-get install -y libdnnl-dev \(or set DNNLROOT to a oneDNN install\), then npm run build:addon -w @frugal\/runtime-native/);
    expect(existsSync(join(copy, 'build', 'Release', 'frugal_native.node'))).toBe(false);
  });

  it('on request, without oneDNN: exit 2 with the same advice', () => {
    const r = run([], { FRUGAL_DNNL_HEADER: join(copy, 'absent.hpp') });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/apt-get install -y libdnnl-dev/);
  });

  it.skipIf(!hasLibrary)(`with oneDNN: builds an addon that loads and reports its version${hasLibrary ? '' : ` (skipped: ${DNNL_HEADER} is missing)`}`, () => {
    const r = run([]);
    expect(r.status, r.stderr).toBe(0);
    const status = probeAddon(join(copy, 'build', 'Release', 'frugal_native.node'));
    expect(status.available).toBe(true);
    expect(status.available && status.addon.info().dnnl).toMatch(/^\d+\.\d+\.\d+$/);
  }, 300_000);

  it('with DNNLROOT naming a folder without oneDNN: exit 2, naming the header it looked for, or the library', () => {
    const prefix = join(copy, 'empty-prefix');
    let r = run([], { DNNLROOT: prefix });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`oneDNN not found (${join(prefix, 'include', 'oneapi', 'dnnl', 'dnnl.hpp')})`);
    expect(r.stderr).toMatch(/or set DNNLROOT to a oneDNN install/);
    mkdirSync(join(prefix, 'include', 'oneapi', 'dnnl'), { recursive: true });
    copyFileSync(join(root, 'binding.gyp'), join(prefix, 'include', 'oneapi', 'dnnl', 'dnnl.hpp'));
    r = run([], { DNNLROOT: prefix });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`oneDNN not found (no libdnnl.so in ${prefix}/lib or lib64)`);
  });

  // The distribution's oneDNN laid out as oneDNN's own install writes it, under a prefix of its own
  // (a copy of the library: another file than the distribution's).
  it.skipIf(!hasLibrary)(`with oneDNN under DNNLROOT: builds an addon that loads the library from there${hasLibrary ? '' : ` (skipped: ${DNNL_HEADER} is missing)`}`, () => {
    const prefix = join(copy, 'prefix');
    const usr = join(DNNL_HEADER, '..', '..', '..', '..');
    const found = ['lib/x86_64-linux-gnu', 'lib64', 'lib'].map((d) => join(usr, d, 'libdnnl.so')).find((f) => existsSync(f));
    const system = realpathSync(found!); // e.g. libdnnl.so.2.6
    mkdirSync(join(prefix, 'include'), { recursive: true });
    mkdirSync(join(prefix, 'lib'));
    symlinkSync(join(dirname(DNNL_HEADER), '..'), join(prefix, 'include', 'oneapi'));
    const soname = /libdnnl\.so\.\d+/.exec(system)![0];
    copyFileSync(system, join(prefix, 'lib', soname));
    symlinkSync(soname, join(prefix, 'lib', 'libdnnl.so'));
    const r = run([], { DNNLROOT: prefix });
    expect(r.status, r.stderr).toBe(0);
    // In a process of its own: this one has loaded the addon built above, and with it the
    // distribution's library, which a second addon needing the same soname would be given.
    const addonPath = join(copy, 'build', 'Release', 'frugal_native.node');
    const probe = spawnSync(process.execPath, ['-e', `console.log(JSON.stringify(require(${JSON.stringify(addonPath)}).info()))`], { encoding: 'utf8' });
    expect(probe.status, probe.stderr).toBe(0);
    const info = JSON.parse(probe.stdout) as { dnnl: string; library: string };
    expect(info.dnnl).toMatch(/^\d+\.\d+\.\d+$/);
    expect(info.library).toBe(join(prefix, 'lib', soname));
  }, 300_000);
});
