import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { moduleResolve } from 'import-meta-resolve';
import { FrugalInputError } from '../errors.js';
import { isFrugalPlugin, withOptions, type FrugalPlugin } from '../plugin.js';
import { pluginSpecSchema, type PluginSpec } from './plugin-spec.js';
import { formatZodError } from './format-zod-error.js';

export type { PluginSpec } from './plugin-spec.js';

/** A plugin loaded by package name, with the options it was created with. */
export interface LoadedPlugin {
  readonly plugin: FrugalPlugin;
  readonly options: Record<string, unknown> | undefined;
}

export interface LoadPluginsOptions {
  /**
   * Folders whose `node_modules` are searched, in order (each and its parents, as Node does): a
   * recipe's folder, then the current project. Default: the current working directory.
   */
  from?: readonly string[];
  /** Where the list came from, for error messages (`recipe.plugins`, `--plugin`). */
  source?: string;
  /** Imports a resolved module URL; tests replace it. */
  importer?: (url: string) => Promise<unknown>;
}

const CONDITIONS = new Set(['node', 'import', 'default']);

/** The file URL `name` resolves to from `dir`, as an ESM `import` there would resolve it; undefined when not installed there. */
function resolveFrom(name: string, dir: string): string | undefined {
  try {
    return moduleResolve(name, pathToFileURL(join(dir, 'frugal-plugin-lookup.js')), CONDITIONS).href;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw new FrugalInputError(`Cannot resolve plugin "${name}" from ${dir}: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** Checks a list of plugin specs (`"pkg"` or `["pkg", { ...options }]`); errors name the entry. */
export function parsePluginSpecs(raw: unknown, source = 'recipe.plugins'): PluginSpec[] {
  if (raw === undefined) return [];
  const parsed = pluginSpecSchema.array().safeParse(raw);
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, source, raw));
  return parsed.data as PluginSpec[];
}

function describeFolders(folders: readonly string[]): string {
  return [...new Set(folders)].join(' or ');
}

/**
 * Loads plugins by npm package name, resolved from the given folders (a recipe's folder, the
 * current project), not from where @frugal/core is installed. A package's default export (or its
 * export named `plugin`) is a plugin or a factory; `["pkg", options]` calls the factory with the
 * options, first checked against the package's `pluginOptions` schema when it exports one (any
 * Standard Schema: zod, valibot, ...).
 */
export async function loadPlugins(specs: readonly PluginSpec[], options: LoadPluginsOptions = {}): Promise<LoadedPlugin[]> {
  const folders = (options.from ?? [process.cwd()]).map((f) => resolve(f));
  const source = options.source ?? 'recipe.plugins';
  const importer = options.importer ?? ((url: string) => import(url));
  const out: LoadedPlugin[] = [];
  for (const [i, spec] of parsePluginSpecs(specs, source).entries()) {
    const [name, pluginOptions] = typeof spec === 'string' ? [spec, undefined] : spec;
    const where = `${source}[${i}]`;
    const searched = folders.filter((f) => existsSync(f) && statSync(f).isDirectory());
    const url = searched.map((dir) => resolveFrom(name, dir)).find((u) => u !== undefined);
    if (!url) {
      throw new FrugalInputError(
        `${where}: plugin "${name}" is not installed in ${describeFolders(folders)}; install it there with npm install ${name}`,
      );
    }
    let mod: Record<string, unknown>;
    try {
      mod = (await importer(url)) as Record<string, unknown>;
    } catch (error) {
      throw new FrugalInputError(`${where}: plugin "${name}" failed to load: ${(error as Error).message.split('\n')[0]}; reinstall or update it`);
    }
    const candidate = mod.default ?? mod.plugin;
    if (pluginOptions !== undefined && typeof candidate !== 'function') {
      throw new FrugalInputError(
        `${where}: plugin "${name}" takes no options (it exports a plugin object, not a factory); give it as "${name}" without options`,
      );
    }
    const checked = pluginOptions === undefined ? undefined : await checkOptions(name, mod.pluginOptions, pluginOptions, `${where}[1]`);
    let plugin: unknown;
    try {
      plugin = typeof candidate === 'function' ? (candidate as (o?: unknown) => unknown)(checked) : candidate;
    } catch (error) {
      throw new FrugalInputError(`${where}: plugin "${name}" rejected its options ${JSON.stringify(pluginOptions)}: ${(error as Error).message.split('\n')[0]}`);
    }
    if (!isFrugalPlugin(plugin)) {
      throw new FrugalInputError(
        `${where}: package "${name}" does not export a Frugal plugin: its default export (or "plugin") must be a plugin object or a function returning one`,
      );
    }
    out.push({ plugin: withOptions(plugin, checked), options: checked });
  }
  return out;
}

interface StandardSchemaLike {
  '~standard': {
    validate(value: unknown): StandardResult | Promise<StandardResult>;
  };
}
type StandardResult = { value: unknown; issues?: undefined } | { issues: readonly { message: string; path?: readonly (PropertyKey | { key: PropertyKey })[] }[] };

function isStandardSchema(value: unknown): value is StandardSchemaLike {
  return typeof value === 'object' && value !== null && typeof (value as StandardSchemaLike)['~standard']?.validate === 'function';
}

async function checkOptions(name: string, schema: unknown, value: Record<string, unknown>, where: string): Promise<Record<string, unknown>> {
  if (!isStandardSchema(schema)) return value;
  const result = await schema['~standard'].validate(value);
  if (!result.issues) return result.value as Record<string, unknown>;
  const issue = result.issues[0]!;
  const path = (issue.path ?? []).map((p) => (typeof p === 'object' ? p.key : p));
  const field = path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : `${acc}.${String(key)}`), where);
  let bad: unknown = value;
  for (const key of path) bad = bad !== null && typeof bad === 'object' ? (bad as Record<PropertyKey, unknown>)[key] : undefined;
  throw new FrugalInputError(
    `${field}: got ${bad === undefined ? 'nothing' : JSON.stringify(bad)}; ${issue.message} (an option of plugin "${name}"; see its README)`,
  );
}

/**
 * Loads plugins by npm package name (see {@link loadPlugins}) and returns the plugins alone.
 * Resolved from the current working directory unless `options.from` says otherwise.
 */
export async function loadPluginsByName(specs: readonly PluginSpec[], options: LoadPluginsOptions = {}): Promise<FrugalPlugin[]> {
  return (await loadPlugins(specs, options)).map((l) => l.plugin);
}
