import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { barsRecipe, frugalSync, oneCleanLine, requireBuiltCli, writeBarsFolder } from './testing/e2e.js';

// A project outside the repository with a plugin installed in its own node_modules: the CLI must
// find it there (from the recipe's folder, or the current folder), not where @frugal/core lives.
const root = mkdtempSync(join(tmpdir(), 'frugal-plugins-'));
const project = join(root, 'project');
const recipes = join(project, 'recipes');
const elsewhere = join(root, 'elsewhere');
const name = '@acme/frugal-plugin-copy';

const pluginSource = `
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
  await writeBarsFolder(join(root, 'train'), 4, 0);
  await writeBarsFolder(join(root, 'test'), 2, 5);
  writeRecipe('with-options.json', { plugins: [[name, { prefix: 'acme-' }]], augment: [{ op: 'acme-copy' }] });
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
    ['bad-entry.json', 'recipe.plugins[0]: got ["@acme/frugal-plugin-copy","acme-"]; '],
  ])('refuses %s with exit 2 and one line', (file, message) => {
    const r = frugalSync(['train', join(recipes, file)], elsewhere);
    expect(r.code).toBe(2);
    expect(oneCleanLine(r.stderr)).toBe(true);
    expect(r.stderr).toContain(`frugal: ${message}`);
  });
});
