import { createFrugal, loadPluginsByName, selectBackend, type BackendChoice, type Frugal, type FrugalPlugin } from '@frugal/core';
import { defaultPlugins } from './default-plugins.js';

/** A Frugal instance with every package's plugin and the plugins a recipe names. */
export async function frugalWith(
  options: { seed?: number; plugins?: readonly string[]; extra?: readonly FrugalPlugin[] } = {},
): Promise<Frugal> {
  const named: FrugalPlugin[] = await loadPluginsByName(options.plugins ?? []);
  return createFrugal({ plugins: [...defaultPlugins(), ...(options.extra ?? []), ...named], seed: options.seed ?? 0 });
}

/** Activates the backend (`auto`: the fastest present) and says which. */
export async function activateBackend(frugal: Frugal, name: string): Promise<BackendChoice> {
  return selectBackend(frugal, name);
}
