import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { requireBanner, requireCommonJs } from '../require-commonjs.mjs';

// The bundle must sit where Node finds the packages it requires, as a package's dist/ does.
const cache = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'frugal-require-commonjs-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` as bundle.mjs bundles a package; the output file's path. */
async function bundle(name, source) {
  const entry = join(dir, `${name}.src.js`);
  writeFileSync(entry, source);
  const outfile = join(dir, `${name}.js`);
  await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', packages: 'external', plugins: [requireCommonJs(dir)], banner: { js: requireBanner }, logLevel: 'silent' });
  return outfile;
}

describe('require-commonjs (the bundles\' esbuild plugin)', () => {
  it('requires a CommonJS package, which is then the very module an import of it gives; an ES module package stays imported', async () => {
    const file = await bundle(
      'both',
      [
        "import tf, { tidy } from '@tensorflow/tfjs-core';",
        "import * as core from '@tensorflow/tfjs-core';",
        "import { z } from 'zod';",
        'export const names = { tidy, core, tf, z };',
      ].join('\n'),
    );
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('__frugalRequire("@tensorflow/tfjs-core")');
    expect(text).not.toMatch(/from "@tensorflow\/tfjs-core"/);
    expect(text).toMatch(/import \{ z \} from "zod"/);
    const { names } = await import(pathToFileURL(file).href);
    const imported = await import('@tensorflow/tfjs-core');
    expect(names.tidy).toBe(imported.tidy);
    expect(names.tf).toBe(imported.default);
    expect(names.core.engine).toBe(imported.engine);
    expect(names.z).toBe((await import('zod')).z);
  });

  it('requires a CommonJS package imported on demand, and the import gives its names', async () => {
    const file = await bundle('dynamic', "export const load = () => import('@tensorflow/tfjs-core');");
    expect(readFileSync(file, 'utf8')).toContain('__frugalRequire("@tensorflow/tfjs-core")');
    const { load } = await import(pathToFileURL(file).href);
    expect((await load()).tidy).toBe((await import('@tensorflow/tfjs-core')).tidy);
  });

  it('keeps only the names the bundle uses, and refuses at build time a name the package does not export', async () => {
    const text = readFileSync(await bundle('one', "import { tidy } from '@tensorflow/tfjs-core';\nexport { tidy };"), 'utf8');
    expect(text).toMatch(/__frugalRead\("tidy"\)/);
    expect(text).not.toMatch(/__frugalRead\("conv2d"\)/);
    await expect(bundle('missing', "import { noSuchOp } from '@tensorflow/tfjs-core';\nexport { noSuchOp };")).rejects.toThrow(/No matching export .* "noSuchOp"/);
  });
});
