import { createFrugal, loadPluginsByName, selectBackend, type BackendChoice, type Frugal, type FrugalPlugin, type PluginSpec } from '@frugal/core';
import { defaultPlugins } from './default-plugins.js';

export interface FrugalWithOptions {
  seed?: number;
  /** Plugins named by package (a recipe's `plugins`, `--plugin`): `"pkg"` or `["pkg", options]`. */
  plugins?: unknown;
  /** Where the names are resolved: the recipe's folder, then the current project (default: the current folder). */
  from?: readonly string[];
  /** Where the names came from, for error messages. */
  source?: string;
  extra?: readonly FrugalPlugin[];
}

/** A Frugal instance with every package's plugin and the plugins a recipe names. */
export async function frugalWith(options: FrugalWithOptions = {}): Promise<Frugal> {
  const named: FrugalPlugin[] = await loadPluginsByName((options.plugins ?? []) as PluginSpec[], {
    from: options.from ?? [process.cwd()],
    source: options.source ?? 'recipe.plugins',
  });
  return createFrugal({ plugins: [...defaultPlugins(), ...(options.extra ?? []), ...named], seed: options.seed ?? 0 });
}

/** Activates the backend (`auto`: the fastest present) and says which. */
export async function activateBackend(frugal: Frugal, name: string): Promise<BackendChoice> {
  return selectBackend(frugal, name);
}
