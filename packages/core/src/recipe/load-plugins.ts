import { FrugalInputError } from '../errors.js';
import { isFrugalPlugin, type FrugalPlugin } from '../plugin.js';

/**
 * Loads plugins by npm package name: the package's default export (or its export named `plugin`)
 * is a plugin or a factory returning one.
 */
export async function loadPluginsByName(names: readonly string[], importer: (name: string) => Promise<unknown> = (n) => import(n)): Promise<FrugalPlugin[]> {
  const out: FrugalPlugin[] = [];
  for (const name of names) {
    let mod: Record<string, unknown>;
    try {
      mod = (await importer(name)) as Record<string, unknown>;
    } catch (error) {
      throw new FrugalInputError(
        `Cannot load plugin "${name}" named in the recipe: ${(error as Error).message.split('\n')[0]}. Install it with npm install ${name}`,
      );
    }
    const candidate = mod.default ?? mod.plugin;
    const plugin = typeof candidate === 'function' ? (candidate as () => unknown)() : candidate;
    if (!isFrugalPlugin(plugin)) {
      throw new FrugalInputError(
        `Package "${name}" does not export a Frugal plugin: its default export (or "plugin") must be a plugin object or a function returning one`,
      );
    }
    out.push(plugin);
  }
  return out;
}
