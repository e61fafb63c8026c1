import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

// A project outside the repository with a plugin installed in its own node_modules: the CLI must
// find it there (from the recipe's folder, or the current folder), not where @frugal/core lives.
const root = mkdtempSync(join(tmpdir(), 'frugal-plugins-'));
const project = join(root, 'project');
const recipes = join(project, 'recipes');
const elsewhere = join(root, 'elsewhere');
const name = '@acme/frugal-plugin-copy';

// The plugin adds an op, a model and a strategy (label smoothing through the strategy kit), as a
// third-party package written from the docs would.
const pluginSource = `
import { buildModel, classifierLoss, finalEvaluation, forwardTraining, runTraining } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';

export const pluginOptions = {
  '~standard': {
    version: 1, vendor: 'acme',
    validate(value) {
      if (value.prefix !== undefined && typeof value.prefix !== 'string') return { issues: [{ message: 'expected a string', path: ['prefix'] }] };
      return { value };
    },
  },
};
const anyParams = { safeParse: (v) => ({ success: true, data: v ?? {} }) };
export default function copy(options = {}) {
  const prefix = options.prefix ?? '';
  return {
    name: '${name}',
    options,
    register(registry) {
      registry.augmentation({
        name: prefix + 'copy',
        description: 'returns the images unchanged',
        params: anyParams,
        factory: () => ({ name: prefix + 'copy', apply: (images) => images.clone() }),
      });
      registry.model({
        name: prefix + 'linear',
        description: 'a linear classifier on the pixels',
        params: anyParams,
        factory: ({ inputShape, numClasses }) => {
          const input = tfl.input({ shape: inputShape });
          const features = tfl.layers.flatten({ name: 'features' }).apply(input);
          const logits = tfl.layers.dense({ units: numClasses, name: 'head' }).apply(features);
          return { model: tfl.model({ inputs: input, outputs: logits }), featureDim: inputShape.reduce((a, b) => a * b, 1) };
        },
      });
      registry.strategy({
        name: prefix + 'smooth',
        description: 'supervised training against targets smoothed by 0.1',
        params: anyParams,
        factory: () => ({
          run: async (ctx) => {
            const built = buildModel(ctx);
            const run = await runTraining(ctx, {
              model: built,
              loss: (batch, info) => {
                const forward = forwardTraining(built, batch, info, ctx.augment, ctx.data.normalization);
                const targets = tf.add(tf.mul(forward.targets, 0.9), 0.1 / forward.targets.shape[1]);
                return classifierLoss(built, { ...forward, targets }, info);
              },
            });
            return { model: built, evaluation: finalEvaluation(ctx, built.model), details: { steps: run.steps } };
          },
        }),
      });
    },
  };
}
`;

function writeRecipe(file: string, extra: Record<string, unknown>): void {
  writeFileSync(join(recipes, file), JSON.stringify(barsRecipe(root, 1, extra)));
}

beforeAll(async () => {
  requireBuiltCli();
  const pkg = join(project, 'node_modules', '@acme', 'frugal-plugin-copy');
  mkdirSync(pkg, { recursive: true });
  mkdirSync(recipes, { recursive: true });
  mkdirSync(elsewhere, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }));
  writeFileSync(join(pkg, 'index.js'), pluginSource);
  // The packages the plugin imports, installed in the project as npm would (links to this repository's).
  const require = createRequire(import.meta.url);
  for (const dep of ['@frugal/core', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers']) {
    const target = dirname(require.resolve(`${dep}/package.json`));
    mkdirSync(dirname(join(project, 'node_modules', dep)), { recursive: true });
    symlinkSync(target, join(project, 'node_modules', dep), 'dir');
  }
  await writeBarsFolder(join(root, 'train'), 4, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
  writeRecipe('with-options.json', { plugins: [[name, { prefix: 'acme-' }]], augment: [{ op: 'acme-copy' }] });
  writeRecipe('all-three.json', {
    name: 'all-three',
    plugins: [[name, { prefix: 'acme-' }]],
    augment: [{ op: 'acme-copy' }],
    model: { name: 'acme-linear' },
    strategy: { name: 'acme-smooth' },
  });
  writeRecipe('twice.json', { plugins: [name, [name, { prefix: 'b-' }]] });
  writeRecipe('bad-options.json', { plugins: [[name, { prefix: 3 }]] });
  writeRecipe('bad-entry.json', { plugins: [[name, 'acme-']] });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('plugins named in a recipe or on the command line', () => {
  it('trains with a plugin from the recipe\'s project, with its options, run from another folder', () => {
    const r = frugalSync(['train', join(recipes, 'with-options.json'), '--json'], elsewhere);
    expect(r.stderr).not.toMatch(/frugal: /);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).data.labelled).toBe(12);
  });

  it("trains the plugin's model with its strategy and op, all named with its prefix, and lists them", () => {
    const r = frugalSync(['train', join(recipes, 'all-three.json'), '--json'], elsewhere);
    expect(r.stderr).not.toMatch(/frugal: /);
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as { accuracy: number; data: { labelled: number } };
    expect(result.data.labelled).toBe(12);
    expect(result.accuracy).toBeGreaterThanOrEqual(0);
    expect(result.accuracy).toBeLessThanOrEqual(1);
    for (const [kind, entry] of [['models', 'acme-linear'], ['strategies', 'acme-smooth'], ['augmentations', 'acme-copy']]) {
      const listed = frugalSync(['list', kind, '--recipe', join(recipes, 'all-three.json')], elsewhere);
      expect(listed.stdout).toMatch(new RegExp(` {2}${entry} .*\\(@acme/frugal-plugin-copy\\)`));
    }
  });

  it('lists a recipe\'s plugins and their entries', () => {
    const r = frugalSync(['list', 'augmentations', '--recipe', join(recipes, 'with-options.json')], elsewhere);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}acme-copy +returns the images unchanged {2}\(@acme\/frugal-plugin-copy\)/);
    expect(r.stdout).toContain('plugins loaded besides the built-in ones:\n  @acme/frugal-plugin-copy {"prefix":"acme-"}');
    const json = JSON.parse(frugalSync(['list', '--json', '--recipe', join(recipes, 'with-options.json')], elsewhere).stdout);
    expect(json.plugins).toContain(name);
  });

  it('lists a plugin given with --plugin, resolved from the current project', () => {
    const r = frugalSync(['list', 'augmentations', '--plugin', name], project);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/ {2}copy +returns the images unchanged {2}\(@acme\/frugal-plugin-copy\)/);
    const missing = frugalSync(['list', '--plugin', name], elsewhere);
    expect(missing.code).toBe(2);
    expect(oneCleanLine(missing.stderr)).toBe(true);
    expect(missing.stderr).toContain(`frugal: --plugin[0]: plugin "${name}" is not installed in ${elsewhere}; install it there with npm install ${name}`);
  });

  it.each([
    ['twice.json', `Plugin "${name}" is already loaded with options {}; it cannot be loaded again with {"prefix":"b-"}`],
    ['bad-options.json', 'recipe.plugins[0][1].prefix: got 3; expected a string (an option of plugin "@acme/frugal-plugin-copy"; see its README)'],
    ['bad-entry.json', 'recipe.plugins[0][1]: got "acme-"; expected an object'],
  ])('refuses %s with exit 2 and one line', (file, message) => {
    const r = frugalSync(['train', join(recipes, file)], elsewhere);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`frugal: ${message}`);
  });
});
