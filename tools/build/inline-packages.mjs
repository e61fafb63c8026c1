// An esbuild plugin: every other package stays an import, except those named, which are bundled
// with everything they import in turn. For packages that no plugin shares with the bundle and that
// are made of many small modules, which Node would otherwise find and read one by one on every start
// (tools/build/README.md: what inlining Vega saves the CLI).
//
// Name ES module packages: a CommonJS one that the bundle's own code imports is required instead
// (require-commonjs.mjs, the plugin before this one).
import { relative } from 'node:path';

/** Whether `importer` is the package's own source, not a file of a package it bundles. */
export function isOwnFile(importer, packageDir) {
  const path = relative(packageDir, importer);
  return !path.startsWith('..') && !path.split(/[\\/]/).includes('node_modules');
}

export function inlinePackages(names, packageDir = process.cwd()) {
  const named = (path) => names.some((name) => path === name || path.startsWith(`${name}/`));
  return {
    name: 'inline-packages',
    setup(build) {
      // An import from another file than the package's own is one of the named packages' own.
      build.onResolve({ filter: /^[^./]/ }, ({ path, importer }) =>
        named(path) || !isOwnFile(importer, packageDir) ? undefined : { path, external: true },
      );
    },
  };
}
