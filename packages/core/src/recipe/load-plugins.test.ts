import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createFrugal } from '../frugal.js';
import { loadPlugins, loadPluginsByName, parsePluginSpecs } from './load-plugins.js';
import { validateRecipe } from './validate.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-load-plugins-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** Writes an ESM package into `<project>/node_modules/<name>` whose default export is `source`. */
function installPackage(project: string, name: string, source: string, exportsField: unknown = { '.': { import: './index.js' } }): void {
  const dir = join(project, 'node_modules', ...name.split('/'));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: exportsField }));
  writeFileSync(join(dir, 'index.js'), source);
}

// A plugin factory with options, checked by a Standard Schema (written by hand: the package has no zod of its own here).
const factorySource = `
export const pluginOptions = {
  '~standard': {
    version: 1, vendor: 'test',
    validate(value) {
      const keys = Object.keys(value).filter((k) => k !== 'prefix');
      if (keys.length) return { issues: [{ message: 'unknown option', path: [keys[0]] }] };
      if (value.prefix !== undefined && !/^[a-z-]+$/.test(value.prefix)) return { issues: [{ message: 'expected lower-case letters and "-"', path: ['prefix'] }] };
      return { value };
    },
  },
};
export default function acme(options = {}) {
  const prefix = options.prefix ?? '';
  return {
    name: '@acme/x',
    register(registry) {
      registry.augmentation({ name: prefix + 'invert', description: 'inverts', params: { safeParse: (v) => ({ success: true, data: v }) }, factory: () => ({ name: 'invert', apply: (x) => x }) });
    },
  };
}
`;

const project = join(root, 'project');
const recipeFolder = join(root, 'project', 'recipes');
mkdirSync(recipeFolder, { recursive: true });
installPackage(project, '@acme/x', factorySource);
installPackage(project, 'frugal-plugin-object', `export default { name: 'frugal-plugin-object', register() {} };`, './index.js');
installPackage(project, 'not-a-plugin', `export default 42;`);
const elsewhere = join(root, 'elsewhere');
mkdirSync(elsewhere, { recursive: true });

describe('loadPlugins', () => {
  it('resolves a package from the given folders (and their parents), not from where core is installed', async () => {
    const [loaded] = await loadPlugins(['@acme/x'], { from: [recipeFolder] });
    expect(loaded?.plugin.name).toBe('@acme/x');
    await expect(loadPluginsByName(['@acme/x'], { from: [elsewhere] })).rejects.toThrow(
      `recipe.plugins[0]: plugin "@acme/x" is not installed in ${elsewhere}; install it there with npm install @acme/x`,
    );
    // The second folder is searched when the first lacks it.
    expect((await loadPluginsByName(['@acme/x'], { from: [elsewhere, project] }))[0]?.name).toBe('@acme/x');
  });

  it('passes a recipe entry\'s options to the factory, checked by the package\'s pluginOptions schema', async () => {
    const [loaded] = await loadPlugins([['@acme/x', { prefix: 'acme-' }]], { from: [project] });
    expect(loaded?.options).toEqual({ prefix: 'acme-' });
    expect(loaded?.plugin.options).toEqual({ prefix: 'acme-' });
    const frugal = createFrugal({ plugins: [loaded!.plugin] });
    expect(frugal.augmentations.names()).toContain('acme-invert');
    await expect(loadPlugins([['@acme/x', { prefix: 'ACME' }]], { from: [project] })).rejects.toThrow(
      'recipe.plugins[0][1].prefix: got "ACME"; expected lower-case letters and "-" (an option of plugin "@acme/x"; see its README)',
    );
    await expect(loadPlugins([['@acme/x', { prefx: 'a-' }]], { from: [project], source: 'r.yaml plugins' })).rejects.toThrow(
      'r.yaml plugins[0][1].prefx: got "a-"; unknown option',
    );
  });

  it('refuses options for a package that exports a plugin object, and a package that exports no plugin', async () => {
    await expect(loadPlugins([['frugal-plugin-object', { a: 1 }]], { from: [project] })).rejects.toThrow(
      'recipe.plugins[0]: plugin "frugal-plugin-object" takes no options',
    );
    expect((await loadPluginsByName(['frugal-plugin-object'], { from: [project] }))[0]?.name).toBe('frugal-plugin-object');
    await expect(loadPlugins(['@acme/x', 'not-a-plugin'], { from: [project] })).rejects.toThrow(
      'recipe.plugins[1]: package "not-a-plugin" does not export a Frugal plugin',
    );
  });

  it('checks the shape of the list, naming the entry', () => {
    expect(parsePluginSpecs(['a', ['@b/c', { x: 1 }]])).toEqual(['a', ['@b/c', { x: 1 }]]);
    expect(() => parsePluginSpecs(['@acme/x', ['@acme/y', 'acme-']])).toThrow('recipe.plugins[1][1]: got "acme-"; expected an object');
    expect(() => parsePluginSpecs([3])).toThrow('recipe.plugins[0]: got 3; expected a string or a list');
    expect(() => parsePluginSpecs(['Not A Name'])).toThrow(/^recipe\.plugins\[0\]: got "Not A Name"; /);
    expect(() => parsePluginSpecs('@acme/x')).toThrow(/^recipe\.plugins: got "@acme\/x"; expected a list/);
  });

  it('lets a validated recipe keep [name, options] entries', () => {
    const frugal = createFrugal();
    frugal.use({ name: 'data', register: (r) => r.dataset({ name: 'd', description: '', params: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never, factory: async () => ({}) as never }) });
    frugal.use({ name: 'model', register: (r) => r.model({ name: 'm', description: '', params: { safeParse: (v: unknown) => ({ success: true, data: v }) } as never, factory: () => ({}) as never }) });
    const recipe = validateRecipe({ plugins: [['@acme/x', { prefix: 'acme-' }]], data: { dataset: 'd' }, model: { name: 'm' } }, frugal);
    expect(recipe.plugins).toEqual([['@acme/x', { prefix: 'acme-' }]]);
  });
});

describe('Frugal.use with a plugin loaded twice', () => {
  it('keeps one copy when the options agree, and refuses other options', async () => {
    const [a] = await loadPluginsByName([['@acme/x', { prefix: 'acme-' }]], { from: [project] });
    const [b] = await loadPluginsByName([['@acme/x', { prefix: 'acme-' }]], { from: [project] });
    const [c] = await loadPluginsByName(['@acme/x'], { from: [project] });
    const frugal = createFrugal({ plugins: [a!, b!] });
    expect(frugal.plugins.filter((p) => p.name === '@acme/x')).toHaveLength(1);
    expect(() => frugal.use(c!)).toThrow(
      'Plugin "@acme/x" is already loaded with options {"prefix":"acme-"}; it cannot be loaded again with {}. Give it once, with the options you want',
    );
    const factory = (_options?: { prefix?: string }) => ({ name: 'p', register: () => undefined });
    expect(() => createFrugal({ plugins: [[factory, { prefix: 'a' }], [factory, { prefix: 'b' }]] })).toThrow(
      'Plugin "p" is already loaded with options {"prefix":"a"}; it cannot be loaded again with {"prefix":"b"}',
    );
  });
});
