import { dirname } from 'node:path';
import { closestName, readRecipeFile, REGISTRY_KINDS, type RegistryKind } from '@frugal/core';
import { frugalWith } from '../frugal-instance.js';
import type { Output } from '../output.js';
import { UsageError } from '../usage-error.js';
import { pluginFolders } from './train.js';

export interface ListFlags {
  /** A recipe whose `plugins` are loaded too. */
  recipe?: string;
  /** Plugin packages to load too (from the current project). */
  plugin?: string[];
}

/** `frugal list [kind] [--recipe FILE] [--plugin NAME...]` — what is registered, with descriptions and the plugin of each entry. */
export async function list(kind: string | undefined, flags: ListFlags, out: Output): Promise<number> {
  if (kind && !REGISTRY_KINDS.includes(kind as RegistryKind)) {
    const close = closestName(kind, REGISTRY_KINDS);
    throw new UsageError(`Unknown list "${kind}"; ${close ? `did you mean "${close}"? ` : ''}choose one of ${REGISTRY_KINDS.join(', ')}`);
  }
  const fromRecipe = flags.recipe ? (await readRecipeFile(flags.recipe)).plugins : undefined;
  if (fromRecipe !== undefined && !Array.isArray(fromRecipe)) {
    throw new UsageError(`${flags.recipe}: plugins must be a list of package names or [name, options] pairs, got ${JSON.stringify(fromRecipe)}`);
  }
  const base = await frugalWith();
  const frugal = await frugalWith({
    plugins: [...(fromRecipe ?? []), ...(flags.plugin ?? [])],
    from: flags.recipe ? pluginFolders(dirname(flags.recipe)) : [process.cwd()],
    source: flags.recipe ? `${flags.recipe} plugins` : '--plugin',
  });
  const builtIn = new Set(base.plugins.map((p) => p.name));
  const added = frugal.plugins.filter((p) => !builtIn.has(p.name)).map((p) => ({ name: p.name, options: p.options ?? {} }));
  const kinds = kind ? [kind as RegistryKind] : REGISTRY_KINDS;
  const listing = Object.fromEntries(
    kinds.map((k) => [k, frugal[k].list().map((e) => ({ name: e.name, description: e.description, plugin: e.plugin }))]),
  );
  out.result({ ...listing, plugins: frugal.plugins.map((p) => p.name) }, () => {
    const sections = kinds.map((k) => {
      const entries = listing[k] ?? [];
      const width = Math.max(0, ...entries.map((e) => e.name.length));
      const from = (plugin: string) => (builtIn.has(plugin) ? '' : `  (${plugin})`);
      return `${out.colours.bold(`${k}:`)}\n${entries.map((e) => `  ${e.name.padEnd(width)}  ${e.description}${from(e.plugin)}`).join('\n') || '  (none)'}`;
    });
    if (added.length) {
      sections.push(`${out.colours.bold('plugins loaded besides the built-in ones:')}\n${added.map((p) => `  ${p.name}${Object.keys(p.options).length ? ` ${JSON.stringify(p.options)}` : ''}`).join('\n')}`);
    }
    return sections.join('\n\n');
  });
  return 0;
}
