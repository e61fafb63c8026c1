import type { RegistryEntry } from './registry/named-registry.js';
import type { Token } from './tokens.js';
import type {
  AugmentationFactory,
  BackendFactory,
  CallbackFactory,
  DatasetFactory,
  ModelFactory,
  StrategyFactory,
} from './registry/registries.js';

/**
 * What a plugin's `register()` receives: one `add` per registry. Entries are recorded under the
 * plugin's name, which every error message uses.
 */
export interface Registry {
  readonly plugin: string;
  model(entry: RegistryEntry<ModelFactory>): void;
  augmentation(entry: RegistryEntry<AugmentationFactory>): void;
  strategy(entry: RegistryEntry<StrategyFactory>): void;
  dataset(entry: RegistryEntry<DatasetFactory>): void;
  backend(entry: RegistryEntry<BackendFactory>): void;
  callback(entry: RegistryEntry<CallbackFactory>): void;
  /** Provides a service by its container token (a spec builder, a checkpoint store, a logger), replacing the one before. */
  provide<T>(token: Token<T>, value: T): void;
}

/** A Frugal plugin: a plain object with a name; registration happens only in `register`. */
export interface FrugalPlugin {
  /** npm package name, e.g. "@frugal/models-resnet". */
  readonly name: string;
  /**
   * The options its factory was given, if any. Loading a plugin of the same name again with other
   * options is an error (its entries would silently keep the first options).
   */
  readonly options?: Readonly<Record<string, unknown>>;
  register(registry: Registry): void;
}

/** A plugin factory taking options, as in `[resnet, { ... }]`. */
export type PluginFactory<O = unknown> = (options?: O) => FrugalPlugin;

/** A plugin, a `[factory, options]` pair, or a preset (a list of any of these). */
export type PluginInput = FrugalPlugin | readonly [PluginFactory<never>, unknown] | readonly PluginInput[];

export function isFrugalPlugin(value: unknown): value is FrugalPlugin {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as FrugalPlugin).name === 'string' &&
    typeof (value as FrugalPlugin).register === 'function'
  );
}

/** Flattens presets and calls `[factory, options]` pairs, in order. */
export function resolvePlugins(input: PluginInput | readonly PluginInput[]): FrugalPlugin[] {
  if (isFrugalPlugin(input)) return [input];
  if (Array.isArray(input)) {
    if (input.length === 2 && typeof input[0] === 'function' && !isFrugalPlugin(input[1]) && !Array.isArray(input[1])) {
      const plugin = (input[0] as PluginFactory<unknown>)(input[1]);
      if (!isFrugalPlugin(plugin)) {
        throw new TypeError(`A [factory, options] pair's factory returned ${typeof plugin}, not a plugin with a name and register()`);
      }
      return [withOptions(plugin, input[1])];
    }
    return input.flatMap((item: PluginInput) => resolvePlugins(item));
  }
  throw new TypeError(
    `Not a Frugal plugin: ${JSON.stringify(input)}. Pass a plugin object ({ name, register }), a [factory, options] pair or a list of them.`,
  );
}

/** Records the options a plugin was created with on the plugin (unless its factory already did). */
export function withOptions(plugin: FrugalPlugin, options: unknown): FrugalPlugin {
  if (plugin.options !== undefined || options === undefined || options === null || typeof options !== 'object') return plugin;
  if (Object.isExtensible(plugin)) {
    Object.defineProperty(plugin, 'options', { value: options, enumerable: true });
    return plugin;
  }
  return Object.assign(Object.create(plugin) as FrugalPlugin, { options });
}

/** Options as a canonical string: key order and `undefined` vs `{}` do not matter. */
export function optionsKey(options: unknown): string {
  const canonical = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(canonical);
    if (v !== null && typeof v === 'object') {
      return Object.fromEntries(
        Object.keys(v)
          .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
          .sort()
          .map((k) => [k, canonical((v as Record<string, unknown>)[k])]),
      );
    }
    return typeof v === 'function' ? `[function ${(v as { name?: string }).name ?? ''}]` : v;
  };
  return JSON.stringify(canonical(options ?? {}));
}
