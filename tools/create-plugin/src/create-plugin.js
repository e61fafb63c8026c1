// Scaffolds a Frugal plugin package. Plain JavaScript so that it runs before anything is built.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

const NAME = /^(@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*$/;

/** `@acme/frugal-plugin-blur` -> `blur`, `@frugal/models-vit` -> `modelsVit`: the factory function's name. */
export function factoryName(packageName) {
  const base = packageName.replace(/^@[^/]+\//, '').replace(/^frugal-plugin-/, '');
  return base.replace(/[-._]+([a-z0-9])/g, (_, c) => c.toUpperCase()).replace(/^[0-9]/, (d) => `p${d}`);
}

function files({ name, description, factory, workspaceRoot, dir }) {
  const base = relative(dir, join(workspaceRoot, 'tsconfig.base.json')).split('\\').join('/');
  return {
    'package.json': `${JSON.stringify(
      {
        name,
        version: '0.1.0',
        description,
        type: 'module',
        license: 'MIT',
        sideEffects: false,
        main: './dist/index.js',
        types: './dist/index.d.ts',
        exports: {
          '.': { '@frugal/source': './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' },
          './package.json': './package.json',
        },
        files: ['dist', '!dist/**/*.test.*', 'README.md'],
        dependencies: { '@frugal/core': '^0.1.0', zod: '^4.0.0' },
        peerDependencies: { '@tensorflow/tfjs-core': '^4.22.0', '@tensorflow/tfjs-layers': '^4.22.0' },
      },
      null,
      2,
    )}\n`,
    'tsconfig.json': `${JSON.stringify(
      { extends: base, files: [], include: [], references: [{ path: './tsconfig.lib.json' }, { path: './tsconfig.spec.json' }] },
      null,
      2,
    )}\n`,
    'tsconfig.lib.json': `${JSON.stringify(
      {
        extends: base,
        compilerOptions: { rootDir: 'src', outDir: 'dist', tsBuildInfoFile: 'dist/tsconfig.lib.tsbuildinfo' },
        include: ['src/**/*.ts'],
        exclude: ['src/**/*.test.ts'],
      },
      null,
      2,
    )}\n`,
    'tsconfig.spec.json': `${JSON.stringify(
      {
        extends: base,
        compilerOptions: { outDir: './out-tsc/spec', types: ['node', 'vitest/globals'] },
        include: ['vitest.config.ts', 'src/**/*.ts'],
        references: [{ path: './tsconfig.lib.json' }],
      },
      null,
      2,
    )}\n`,
    'vitest.config.ts': `import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: { conditions: ['@frugal/source'] },
  ssr: { resolve: { conditions: ['@frugal/source'] } },
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

export interface ${factory[0].toUpperCase()}${factory.slice(1)}Options {
  /** Prefix for the names this plugin registers. */
  prefix?: string;
}

/** ${description} */
export function ${factory}(options: ${factory[0].toUpperCase()}${factory.slice(1)}Options = {}): FrugalPlugin {
  const prefix = options.prefix ?? '';
  return {
    name: '${name}',
    register(registry) {
      registry.augmentation({
        name: \`\${prefix}${factory}-invert\`,
        description: 'Inverts pixel values (1 - x): replace with what this plugin adds',
        params: z.strictObject({}),
        factory: () => ({
          name: \`\${prefix}${factory}-invert\`,
          apply: (images) => tf.sub(1, images),
        }),
      });
    },
  };
}
`,
    'src/index.test.ts': `import { createFrugal, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import { ${factory} } from './index.js';

describe('${name}', () => {
  it('registers its entries without side effects at import', () => {
    const frugal = createFrugal({ plugins: [${factory}()] });
    expect(frugal.augmentations.names()).toContain('${factory}-invert');
    expect(createFrugal().augmentations.names()).not.toContain('${factory}-invert');
  });

  it('applies its augmentation', () => {
    const frugal = createFrugal({ plugins: [${factory}()] });
    const op = frugal.augmentations.create('${factory}-invert');
    const out = tf.tidy(() => op.apply(tf.fill([1, 2, 2, 1], 0.25) as tf.Tensor4D, new Rng(1)).dataSync());
    expect(Array.from(out)).toEqual([0.75, 0.75, 0.75, 0.75]);
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

## Dependencies

- \`@frugal/core\` — the plugin contract and registries.
- \`zod\` (through core) — the parameter schemas of the entries.
- \`@tensorflow/tfjs-core\`, \`@tensorflow/tfjs-layers\` (peer) — one TensorFlow.js per process, chosen by the user.
`,
  };
}

/**
 * Writes a new plugin package into `dir`. Refuses to touch an existing folder. With
 * `workspaceRoot`, the package is also added to the root tsconfig.json references.
 * @returns the paths written, relative to `dir`.
 */
export function createPlugin({ name, dir, description, workspaceRoot }) {
  if (!NAME.test(name ?? '')) {
    throw new Error(`"${name}" is not a valid npm package name (e.g. @acme/frugal-plugin-blur)`);
  }
  if (existsSync(dir)) throw new Error(`${dir} already exists; choose another folder or remove it first`);
  const root = workspaceRoot ?? dirname(dir);
  const factory = factoryName(name);
  const all = files({ name, description: description ?? `A Frugal plugin: ${name}`, factory, workspaceRoot: root, dir });
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const rootTsconfig = join(root, 'tsconfig.json');
  if (workspaceRoot && existsSync(rootTsconfig)) {
    const config = JSON.parse(readFileSync(rootTsconfig, 'utf8'));
    const ref = `./${relative(root, dir).split('\\').join('/')}`;
    config.references ??= [];
    if (!config.references.some((r) => r.path === ref)) config.references.push({ path: ref });
    writeFileSync(rootTsconfig, `${JSON.stringify(config, null, 2)}\n`);
  }
  return Object.keys(all);
}
