#!/usr/bin/env node
// Bundles a package's JavaScript: run in the package's folder after `tsc --build tsconfig.lib.json`
// (which writes the declarations to dist/). Each entry of package.json's `exports` and `bin`, and
// each extra entry given on the command line (a worker's module), becomes one file in dist/, its
// own modules inlined, the modules shared by entries in chunks beside them and every package
// imported as it is (so a plugin and the CLI share one @frugal/core and one TensorFlow.js), or
// required where Node would load it as CommonJS (require-commonjs.mjs). Node then loads a package
// as a few files instead of dozens (tools/build/README.md: what that saves).
// The extra entries land at dist/<name>.js, beside the bundles that start them.
//
// `--inline vega,vega-lite` bundles those packages and everything they import as well
// (inline-packages.mjs).
//
//   node ../../tools/build/bundle.mjs [--inline name,...] [src/path/to/worker.ts ...]
import { readFileSync, readdirSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { build } from 'esbuild';
import { inlinePackages } from './inline-packages.mjs';
import { requireBanner, requireCommonJs } from './require-commonjs.mjs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const args = process.argv.slice(2);
const inlineAt = args.indexOf('--inline');
const inlined = inlineAt < 0 ? [] : (args.splice(inlineAt, 2)[1]?.split(',') ?? []);
if (inlineAt >= 0 && inlined.length === 0) throw new Error(`${pkg.name}: --inline takes the packages to bundle, e.g. --inline vega,vega-lite`);

/** `./dist/testing/index.js` → `testing/index` (the output's name under dist/), with its source. */
function entry(source, output) {
  const name = /^\.\/dist\/(.+)\.js$/.exec(output)?.[1];
  if (!name) throw new Error(`${pkg.name}: package.json names ${output} as an entry's file; give a .js file under ./dist/`);
  return [name, source];
}

const entryPoints = Object.fromEntries([
  ...Object.values(pkg.exports ?? {})
    .filter((target) => typeof target === 'object' && target['@frugal/source'])
    .map((target) => entry(target['@frugal/source'], target.default)),
  ...Object.values(pkg.bin ?? {}).map((output) => entry(output.replace(/^\.\/dist\//, './src/').replace(/\.js$/, '.ts'), output)),
  ...args.map((source) => [basename(source, '.ts'), source]),
]);

// The JavaScript of an earlier build goes: chunk names change with their contents.
for (const file of readdirSync('dist', { recursive: true })) {
  if (/\.js(\.map)?$/.test(file)) rmSync(join('dist', file));
}

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  plugins: [requireCommonJs(), inlinePackages(inlined)],
  banner: { js: requireBanner },
  tsconfig: 'tsconfig.lib.json',
  sourcemap: true,
  logLevel: 'warning',
});
