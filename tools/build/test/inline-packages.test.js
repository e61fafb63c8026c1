import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { inlinePackages } from '../inline-packages.mjs';
import { requireBanner, requireCommonJs } from '../require-commonjs.mjs';

// Where a package's dist/ sits: the packages left as imports must resolve from there.
const cache = join(import.meta.dirname, '..', '..', '..', 'node_modules', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'frugal-inline-packages-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('inline-packages (the bundles\' esbuild plugin)', () => {
  it('bundles the packages named and what they import, leaves the others imported or required, and the bundle runs', async () => {
    const entry = join(dir, 'entry.src.js');
    writeFileSync(
      entry,
      [
        "import { compile } from 'vega-lite';",
        "import { tidy } from '@tensorflow/tfjs-core';",
        "import { z } from 'zod';",
        "export const spec = () => compile({ data: { values: [{ x: 1 }] }, mark: 'point', encoding: { x: { field: 'x', type: 'quantitative' } } }).spec;",
        'export { tidy, z };',
      ].join('\n'),
    );
    const outfile = join(dir, 'entry.js');
    await build({ entryPoints: [entry], outfile, bundle: true, format: 'esm', platform: 'node', plugins: [requireCommonJs(dir), inlinePackages(['vega-lite'], dir)], banner: { js: requireBanner }, logLevel: 'silent' });
    const text = readFileSync(outfile, 'utf8');
    // vega-lite and the packages it imports (vega-util, vega-event-selector, ...) are in the bundle
    expect(text).not.toMatch(/from "vega|require\("vega/);
    expect(text).toMatch(/^import \{ z( as \w+)? \} from "zod";$/m);
    expect(text).toContain('__frugalRequire("@tensorflow/tfjs-core")');
    const bundled = await import(pathToFileURL(outfile).href);
    expect(bundled.spec().marks[0].type).toBe('symbol');
    expect(bundled.tidy).toBe((await import('@tensorflow/tfjs-core')).tidy);
  });
});
