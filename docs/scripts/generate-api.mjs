// Writes the API reference (api/) from the packages' sources with TypeDoc and
// typedoc-plugin-markdown: one page per package and kind of export. Run before the site build.
import { readFileSync, readdirSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Application, Converter, ReflectionKind } from 'typedoc';

const docs = join(dirname(fileURLToPath(import.meta.url)), '..');
const packagesDir = join(docs, '..', 'packages');
const out = join(docs, 'api');

/** Every package with an entry point, and its npm name. */
const packages = readdirSync(packagesDir)
  .filter((dir) => existsSync(join(packagesDir, dir, 'src', 'index.ts')) && dir !== 'cli')
  .map((dir) => ({ dir, name: JSON.parse(readFileSync(join(packagesDir, dir, 'package.json'), 'utf8')).name }))
  .sort((a, b) => a.name.localeCompare(b.name));

const app = await Application.bootstrapWithPlugins({
  entryPoints: packages.map((p) => join(packagesDir, p.dir, 'src', 'index.ts')),
  entryPointStrategy: 'resolve',
  tsconfig: join(docs, 'tsconfig.typedoc.json'),
  plugin: ['typedoc-plugin-markdown'],
  out,
  readme: 'none',
  name: 'API reference',
  entryFileName: 'index',
  outputFileStrategy: 'modules',
  hidePageHeader: true,
  hideBreadcrumbs: true,
  useCodeBlocks: true,
  excludePrivate: true,
  excludeInternal: true,
  excludeExternals: true,
  disableSources: true,
  sort: ['kind', 'alphabetical'],
  validation: { notExported: false, invalidLink: false, unusedMergeModuleWith: false },
  logLevel: 'Warn',
  skipErrorChecking: true,
});

// Modules are named after their npm package, not their path.
app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
  for (const module of context.project.getReflectionsByKind(ReflectionKind.Module)) {
    const pkg = packages.find((p) => module.name === `${p.dir}/src`);
    if (pkg) module.name = pkg.name;
  }
});

const project = await app.convert();
if (!project) throw new Error('TypeDoc could not convert the packages; run it with logLevel Info to see why');
rmSync(out, { recursive: true, force: true });
await app.outputs.writeOutputs(project);
console.log(`Wrote the API reference of ${packages.length} packages to ${out}`);
