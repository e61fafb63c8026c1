// Scaffolds a Frugal plugin package that builds, tests and packs on its own, anywhere: no
// references to a monorepo, every tool it uses in its own devDependencies. Plain JavaScript so that
// it runs with nothing built and nothing installed but Node.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** This scaffolder's package.json: the @frugal/core range it writes follows the release that publishes both. */
const own = JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), '..', 'package.json'), 'utf8'));

/** Versions the generated package depends on. */
export const VERSIONS = {
  '@frugal/core': own.devDependencies['@frugal/core'],
  zod: '^4.1.0',
  '@tensorflow/tfjs-core': '^4.22.0',
  '@tensorflow/tfjs-layers': '^4.22.0',
  '@tensorflow/tfjs-backend-cpu': '^4.22.0',
  '@types/node': '^20.19.0',
  typescript: '^5.9.3',
  vitest: '^4.1.12',
};

/** Words a function may not be named (`export function class` does not compile). */
const RESERVED = new Set(
  ('await break case catch class const continue debugger default delete do else enum eval export extends false finally for function if ' +
    'implements import in instanceof interface let new null package private protected public return static super switch this throw true try ' +
    'typeof var void while with yield arguments').split(' '),
);

/** The package's own part of its name: `@acme/frugal-plugin-blur` -> `blur`, `@frugal/models-vit` -> `models-vit`. */
function baseName(packageName) {
  return packageName.replace(/^@[^/]+\//, '').replace(/^frugal-plugin-/, '');
}

/** `@acme/frugal-plugin-blur` -> `blur`, `@frugal/models-vit` -> `modelsVit`, `frugal-plugin-class` -> `classPlugin`: the factory function's name. */
export function factoryName(packageName) {
  const name = baseName(packageName).replace(/[-._]+([a-z0-9])/g, (_, c) => c.toUpperCase()).replace(/^[0-9]/, (d) => `p${d}`);
  return RESERVED.has(name) ? `${name}Plugin` : name;
}

/** The example op's name: the package's own part in lower case and dashes, as registry names are (`models-vit-invert`). */
export function opName(packageName) {
  return `${baseName(packageName).replace(/[._]+/g, '-')}-invert`;
}

/** The folder a package is written to by default: its name without the scope. */
export function defaultFolder(packageName) {
  return packageName.replace(/^@[^/]+\//, '');
}

const json = (value) => `${JSON.stringify(value, null, 2)}\n`;

function files({ name, description, factory }) {
  const Type = `${factory[0].toUpperCase()}${factory.slice(1)}Options`;
  const op = opName(name);
  return {
    'package.json': json({
      name,
      version: '0.1.0',
      description,
      keywords: ['frugal', 'frugal-plugin'],
      type: 'module',
      license: 'MIT',
      sideEffects: false,
      main: './dist/index.js',
      types: './dist/index.d.ts',
      exports: {
        '.': { types: './dist/index.d.ts', default: './dist/index.js' },
        './package.json': './package.json',
      },
      files: ['dist', '!dist/**/*.test.*', 'README.md'],
      scripts: {
        build: 'tsc -p tsconfig.lib.json',
        test: 'npm run build && vitest run',
        prepack: 'npm run build',
      },
      dependencies: { '@frugal/core': VERSIONS['@frugal/core'], zod: VERSIONS.zod },
      peerDependencies: { '@tensorflow/tfjs-core': VERSIONS['@tensorflow/tfjs-core'], '@tensorflow/tfjs-layers': VERSIONS['@tensorflow/tfjs-layers'] },
      devDependencies: {
        '@tensorflow/tfjs-backend-cpu': VERSIONS['@tensorflow/tfjs-backend-cpu'],
        '@tensorflow/tfjs-core': VERSIONS['@tensorflow/tfjs-core'],
        '@tensorflow/tfjs-layers': VERSIONS['@tensorflow/tfjs-layers'],
        '@types/node': VERSIONS['@types/node'],
        typescript: VERSIONS.typescript,
        vitest: VERSIONS.vitest,
      },
    }),
    'tsconfig.json': json({
      compilerOptions: {
        target: 'ES2022',
        lib: ['ES2022'],
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        declaration: true,
        skipLibCheck: true,
        isolatedModules: true,
        types: ['node'],
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src/**/*.ts'],
    }),
    'tsconfig.lib.json': json({ extends: './tsconfig.json', exclude: ['src/**/*.test.ts'] }),
    '.gitignore': 'node_modules/\ndist/\n*.tgz\n',
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: '${name}',
    environment: 'node',
    include: ['src/**/*.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
`,
    'src/index.ts': `import type { FrugalPlugin } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

/**
 * The plugin's options. A recipe's \`plugins: [["${name}", { prefix: "x-" }]]\` is checked
 * against this schema (exported as \`pluginOptions\`) before the factory is called.
 */
export const pluginOptions = z.strictObject({
  /** Prefix for the names this plugin registers, should they clash with another plugin's. */
  prefix: z.string().regex(/^[a-z0-9-]*$/, 'expected lower-case letters, digits and "-"').optional(),
});

export type ${Type} = z.input<typeof pluginOptions>;

/** ${description} */
export function ${factory}(options: ${Type} = {}): FrugalPlugin {
  const prefix = pluginOptions.parse(options).prefix ?? '';
  return {
    name: '${name}',
    options,
    register(registry) {
      registry.augmentation({
        name: \`\${prefix}${op}\`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: \`\${prefix}${op}\`,
          apply: (images) => tf.sub(1, images),
        }),
      });
    },
  };
}

// A recipe's \`plugins: ["${name}"]\` loads the default export.
export default ${factory};
`,
    'src/index.test.ts': `import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFrugal, loadPluginsByName, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { ${factory} } from './index.js';

// This package's folder: loading the package by name from here resolves its own build (dist/),
// as a recipe in a project that installed it would.
const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('${name}', () => {
  it('registers its entries without side effects at import', () => {
    const frugal = createFrugal({ plugins: [${factory}()] });
    expect(frugal.augmentations.get('${op}').plugin).toBe('${name}');
    expect(createFrugal().augmentations.names()).not.toContain('${op}');
  });

  it('applies its augmentation', () => {
    const frugal = createFrugal({ plugins: [${factory}()] });
    const op = frugal.augmentations.create('${op}');
    const out = tf.tidy(() => op.apply(tf.fill([1, 2, 2, 1], 0.25) as tf.Tensor4D, new Rng(1)).dataSync());
    expect(Array.from(out)).toEqual([0.75, 0.75, 0.75, 0.75]);
  });

  it('is loaded by package name, with options, as a recipe loads it', async () => {
    const [plugin] = await loadPluginsByName([['${name}', { prefix: 'x-' }]], { from: [packageRoot] });
    expect(createFrugal({ plugins: [plugin!] }).augmentations.names()).toContain('x-${op}');
    await expect(loadPluginsByName([['${name}', { prefix: 'X' }]], { from: [packageRoot] })).rejects.toThrow(/prefix: got "X"/);
  });
});
`,
    'README.md': `# ${name}

${description}

\`\`\`ts
import { createFrugal } from '@frugal/core';
import { ${factory} } from '${name}';

const frugal = createFrugal({ plugins: [${factory}()], seed: 42 });
console.log(frugal.augmentations.names());
\`\`\`

In a recipe:

\`\`\`yaml
plugins: ["${name}"]              # or [["${name}", { prefix: "x-" }]]
augment:
  - { op: ${op} }
\`\`\`

\`frugal list augmentations --recipe recipe.yaml\` shows what it registers.

\`\`\`sh
npm install     # then:
npm test        # builds (tsc -> dist/) and runs the tests
npm pack        # the tarball users install
\`\`\`

## Dependencies

- \`@frugal/core\` — the plugin contract and registries.
- \`zod\` — the schemas of the plugin's options and of its entries' parameters.
- \`@tensorflow/tfjs-core\`, \`@tensorflow/tfjs-layers\` (peers) — one TensorFlow.js per process, chosen by the application.
- \`@tensorflow/tfjs-backend-cpu\`, \`typescript\`, \`vitest\`, \`@types/node\` (dev) — the tests' backend, the build and the tests.
`,
  };
}

/**
 * Writes a new, self-contained plugin package into `dir`. Refuses to touch an existing folder.
 * @returns the paths written, relative to `dir`.
 */
export function createPlugin({ name, dir, description }) {
  if (!NAME.test(name ?? '') || ['node_modules', 'favicon.ico'].includes(name)) {
    throw new Error(`"${name}" is not a valid npm package name; use lower-case letters, digits, "-", "." and "_", optionally with a scope (e.g. @acme/frugal-plugin-blur)`);
  }
  if (existsSync(dir)) throw new Error(`${dir} already exists; choose another folder or remove it first`);
  const all = files({ name, description: description ?? `A Frugal plugin: ${name}`, factory: factoryName(name) });
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return Object.keys(all);
}
