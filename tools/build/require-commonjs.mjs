// An esbuild plugin: a package that Node would load as CommonJS is required, not imported.
// Importing a CommonJS file from an ES module costs Node two more passes over its source on every
// start (a parse for module syntax, then cjs-module-lexer for the names it exports) that require()
// skips; TensorFlow.js's bundles are a megabyte or more each (tools/build/README.md: what it saves).
// The names are found here, once, by the lexer Node uses, so the bundle imports them as before.
//
// Only where `import` and `require` resolve to the same CommonJS file: a plugin that imports the
// package then gets the very module the bundle required (Node keeps one CommonJS cache for both).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { init, parse } from 'cjs-module-lexer';
import { resolve as resolveImport } from 'import-meta-resolve';
import { isOwnFile } from './inline-packages.mjs';

await init();

/** Declared at the top of every output file; the shims call it. */
const REQUIRE = '__frugalRequire';
export const requireBanner = `import { createRequire as __frugalCreateRequire } from 'node:module';\nconst ${REQUIRE} = __frugalCreateRequire(import.meta.url);`;

/** The `type` of the package.json nearest to `file`. */
function packageType(file) {
  for (let dir = dirname(file); dir !== dirname(dir); dir = dirname(dir)) {
    try {
      return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')).type ?? 'commonjs';
    } catch (error) {
      if (error.code !== 'ENOENT') throw error;
    }
  }
  return 'commonjs';
}

/** The CommonJS file Node loads for `specifier` imported from `packageDir`, if require() loads the same. */
function commonJsFile(specifier, packageDir) {
  const from = join(packageDir, 'package.json');
  let file;
  try {
    const imported = resolveImport(specifier, pathToFileURL(from).href);
    if (!imported.startsWith('file:')) return undefined; // node:fs and other built-ins
    file = fileURLToPath(imported);
    if (createRequire(from).resolve(specifier) !== file) return undefined;
  } catch {
    return undefined; // not installed here (an optional package): left to Node at run time
  }
  return file.endsWith('.cjs') || (file.endsWith('.js') && packageType(file) === 'commonjs') ? file : undefined;
}

/** The names an import of the CommonJS `file` gives, as Node finds them (following the re-exports that resolve). */
function exportNames(file, seen = new Set()) {
  if (seen.has(file)) return [];
  seen.add(file);
  const { exports, reexports } = parse(readFileSync(file, 'utf8'));
  const again = reexports.flatMap((specifier) => {
    try {
      return exportNames(createRequire(file).resolve(specifier), seen);
    } catch {
      return [];
    }
  });
  return [...new Set([...exports, ...again])].filter((name) => name !== 'default');
}

/** Words that cannot name a local binding. */
const RESERVED = new Set(
  (
    'arguments await break case catch class const continue debugger default delete do else enum eval export extends false ' +
    'finally for function if implements import in instanceof interface let new null package private protected public return ' +
    'static super switch this throw true try typeof var void while with yield'
  ).split(' '),
);
/** A local name for the export `name`: itself where it can be one (the shim's own names start with __frugal). */
const local = (name, i) => (/^[A-Za-z_$][\w$]*$/.test(name) && !RESERVED.has(name) && !name.startsWith('__frugal') ? name : `__frugalExport${i}`);

/**
 * An ES module that requires `specifier` and exports its names, and the exports object as default.
 * Each name is read through a call marked pure, so the bundle keeps only those it uses.
 */
function shim(specifier, file) {
  const names = exportNames(file);
  return [
    `const __frugalModule = ${REQUIRE}(${JSON.stringify(specifier)});`,
    'const __frugalRead = (name) => __frugalModule[name];',
    'export default __frugalModule;',
    ...names.map((name, i) => `const ${local(name, i)} = /* @__PURE__ */ __frugalRead(${JSON.stringify(name)});`),
    `export { ${names.map((name, i) => `${local(name, i)} as ${JSON.stringify(name)}`).join(', ')} };`,
  ].join('\n');
}

export function requireCommonJs(packageDir = process.cwd()) {
  const files = new Map();
  return {
    name: 'require-commonjs',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, ({ path, kind, importer }) => {
        // A bundled package's own imports are bundled with it (inline-packages.mjs), whatever their format.
        if (!['import-statement', 'dynamic-import'].includes(kind) || !isOwnFile(importer, packageDir)) return undefined;
        if (!files.has(path)) files.set(path, commonJsFile(path, packageDir));
        return files.get(path) ? { path, namespace: 'require-commonjs' } : undefined;
      });
      build.onLoad({ filter: /.*/, namespace: 'require-commonjs' }, ({ path }) => ({ contents: shim(path, files.get(path)), loader: 'js' }));
    },
  };
}
