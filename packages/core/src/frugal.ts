import './reflect.js';
import { container as rootContainer, type DependencyContainer, type InjectionToken } from 'tsyringe';
import { z } from 'zod';
import { coreBuiltins } from './builtins.js';
import { FrugalInputError } from './errors.js';
import { optionsKey, resolvePlugins, type FrugalPlugin, type PluginInput, type Registry } from './plugin.js';
import type { RegisteredEntry, NamedRegistry } from './registry/named-registry.js';
import { createRegistries, type Registries } from './registry/registries.js';
import { formatZodError } from './recipe/format-zod-error.js';
import { Rng } from './rng.js';
import { CHECKPOINT_STORE, IMAGE_CACHE, LOGGER, REGISTRIES, ROOT_RNG, type Token } from './tokens.js';
import { noImageCache } from './services/image-cache.js';
import { stderrLogger } from './services/logger.js';
import { fileCheckpointStore } from './services/checkpoint-store.js';
import { AUGMENT_SPEC_BUILDER, basicSpecBuilder, type AugmentSpecBuilder } from './augment-spec/spec-builder.js';
import { UNKNOWN_AUGMENTATION_HINT, parseAugmentSpec, specObject, type AugmentationResolver } from './augment-spec/parse-spec.js';
import { pipelineSpecSchema, type AugmentSpec } from './augment-spec/spec.js';
import type { TrainingCallback } from './train/callback.js';
import type { Strategy } from './train/strategy.js';
import type { Augmentation, BackendProvider, BuiltModel, DatasetSource, ModelBaseParams, CreateModelOptions } from './types.js';
export type { CreateModelOptions } from './types.js';
import { MAX_INPUT_SIDE } from './io/image-decoding.js';
import { MAX_CLASSES } from './io/model-card.js';

/**
 * Model names and their extra parameters. Plugins extend it by declaration merging so that
 * `frugal.models.create('resnet18', ...)` is typed:
 * `declare module '@frugal/core' { interface FrugalModels { resnet18: ResNetParams } }`.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface FrugalModels {}

export interface CreateFrugalOptions {
  plugins?: readonly PluginInput[];
  /** Seed of every random choice; the same seed, backend and thread count give the same numbers on one machine. */
  seed?: number | string;
}

const side = z.number().int().min(1).max(MAX_INPUT_SIDE);
const modelBaseSchema = z.strictObject({
  numClasses: z.number().int().min(1).max(MAX_CLASSES),
  inputShape: z.tuple([side, side, z.number().int().min(1).max(4)]),
});

/** A registry seen from a Frugal instance: listing, lookup and parameter validation. */
export class Catalog<TFactory> {
  private readonly counters = new Map<string, number>();

  constructor(
    protected readonly registry: NamedRegistry<TFactory>,
    protected readonly rng: Rng,
    /** The instance's services, handed to every factory as `ctx.resolve`. */
    protected readonly services?: <T>(token: InjectionToken<T>) => T,
  ) {}

  list(): RegisteredEntry<TFactory>[] {
    return this.registry.list();
  }
  names(): string[] {
    return this.registry.names();
  }
  has(name: string): boolean {
    return this.registry.has(name);
  }
  get(name: string): RegisteredEntry<TFactory> {
    return this.registry.get(name);
  }
  /** Validates parameters against the entry's schema; errors name `path`. */
  parse(name: string, params: unknown, path?: string): Record<string, unknown> {
    return this.registry.parseParams(name, params, path) as Record<string, unknown>;
  }
  /** A fresh, deterministic RNG stream for the n-th thing built under `name`. */
  protected streamFor(name: string): Rng {
    const n = this.counters.get(name) ?? 0;
    this.counters.set(name, n + 1);
    return this.rng.child(`${name}#${n}`);
  }
}

export class ModelCatalog extends Catalog<Registries['models'] extends NamedRegistry<infer F> ? F : never> {
  create<K extends keyof FrugalModels>(name: K, params: ModelBaseParams & FrugalModels[K], options?: CreateModelOptions): BuiltModel;
  /** A model no plugin typed (or a name known only at run time): its parameters are checked by its schema when called. */
  create<N extends string>(name: N extends keyof FrugalModels ? never : N, params: ModelBaseParams & Record<string, unknown>, options?: CreateModelOptions): BuiltModel;
  create(name: string, params: ModelBaseParams & Record<string, unknown>, options: CreateModelOptions = {}): BuiltModel {
    const { numClasses, inputShape, ...rest } = params;
    const base = modelBaseSchema.safeParse({ numClasses, inputShape });
    if (!base.success) throw new FrugalInputError(formatZodError(base.error, `model "${name}"`, { numClasses, inputShape }));
    const parsed = this.parse(name, rest, `model "${name}"`);
    return this.get(name).factory({ ...parsed, ...base.data }, { rng: options.rng ?? this.streamFor(name), resolve: this.services });
  }

  /**
   * The same models with their own counters, drawing initial weights from `rng`: a run builds its
   * models through one, so models built before the run (or by another run) shift nothing.
   */
  seeded(rng: Rng): ModelCatalog {
    return new ModelCatalog(this.registry, rng, this.services);
  }
}

export class AugmentationCatalog extends Catalog<Registries['augmentations'] extends NamedRegistry<infer F> ? F : never> {
  constructor(
    registry: NamedRegistry<Registries['augmentations'] extends NamedRegistry<infer F> ? F : never>,
    rng: Rng,
    private readonly builder: () => AugmentSpecBuilder = () => basicSpecBuilder,
  ) {
    super(registry, rng);
  }

  create(name: string, params: Record<string, unknown> = {}): Augmentation {
    return this.get(name).factory(this.parse(name, params), { rng: this.streamFor(name), augmentations: this });
  }

  /** Checks one spec (name, text form or object) and returns it in object form, defaults filled in. */
  resolve(spec: AugmentSpec, path: string): Record<string, unknown> & { op: string } {
    return specObject(parseAugmentSpec(spec, this, path));
  }

  /**
   * Builds a list of specs (a recipe's `augment`, a strategy's view) with the spec builder the
   * loaded plugins provide; errors name `path` and the bad field.
   */
  build(specs: unknown, path = 'augment', options: { unknownNameHint?: string } = {}): Augmentation[] {
    const parsed = pipelineSpecSchema.safeParse(specs);
    if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, path, specs, pipelineSpecSchema));
    const builder = this.builder();
    const rng = this.rng.child('pipeline');
    const hint = options.unknownNameHint;
    const resolver: AugmentationResolver = hint
      ? { has: (n) => this.has(n), get: (n) => this.get(n), names: () => this.names(), unknownNameHint: `${UNKNOWN_AUGMENTATION_HINT} ${hint}` }
      : this;
    return parsed.data.map((spec, i) => builder.build(spec, { resolver, rng, path: `${path}[${i}]` }));
  }
}

export class StrategyCatalog extends Catalog<Registries['strategies'] extends NamedRegistry<infer F> ? F : never> {
  create(name: string, params: Record<string, unknown> = {}): Strategy {
    return this.get(name).factory(this.parse(name, params), { rng: this.streamFor(name) });
  }
}

export class DatasetCatalog extends Catalog<Registries['datasets'] extends NamedRegistry<infer F> ? F : never> {
  /**
   * `needsNormalization: false`: the run normalises otherwise, so the source need not measure its
   * statistics; `log`: where the source's notices go (a quiet run's go nowhere).
   */
  load(name: string, params: Record<string, unknown> = {}, options: { needsNormalization?: boolean; log?: (message: string) => void } = {}): Promise<DatasetSource> {
    return this.get(name).factory(this.parse(name, params), { rng: this.streamFor(name), resolve: this.services, ...options });
  }
}

export class BackendCatalog extends Catalog<Registries['backends'] extends NamedRegistry<infer F> ? F : never> {
  provider(name: string, params: Record<string, unknown> = {}): BackendProvider {
    return this.get(name).factory(this.parse(name, params));
  }
}

export class CallbackCatalog extends Catalog<Registries['callbacks'] extends NamedRegistry<infer F> ? F : never> {
  create(name: string, params: Record<string, unknown> = {}, runDir?: string): TrainingCallback {
    return this.get(name).factory(this.parse(name, params), { rng: this.streamFor(name), runDir, resolve: this.services });
  }
}

/**
 * One Frugal instance: its own tsyringe child container, registries and seeded RNG. Two instances
 * share nothing.
 */
export class Frugal {
  readonly container: DependencyContainer;
  readonly rng: Rng;
  readonly models: ModelCatalog;
  readonly augmentations: AugmentationCatalog;
  readonly strategies: StrategyCatalog;
  readonly datasets: DatasetCatalog;
  readonly backends: BackendCatalog;
  readonly callbacks: CallbackCatalog;
  private readonly registries: Registries;
  private readonly loaded: FrugalPlugin[] = [];

  constructor(options: CreateFrugalOptions = {}) {
    this.container = rootContainer.createChildContainer();
    this.rng = new Rng(options.seed ?? 0);
    this.container.registerInstance(ROOT_RNG, this.rng);
    this.container.registerInstance(REGISTRIES, createRegistries());
    this.registries = this.container.resolve(REGISTRIES);
    const services = <T>(token: InjectionToken<T>): T => this.container.resolve(token);
    this.models = new ModelCatalog(this.registries.models, this.rng.child('init'), services);
    this.container.registerInstance(AUGMENT_SPEC_BUILDER, basicSpecBuilder);
    this.container.registerInstance(LOGGER, stderrLogger);
    this.container.registerInstance(CHECKPOINT_STORE, fileCheckpointStore);
    this.container.registerInstance(IMAGE_CACHE, noImageCache);
    this.augmentations = new AugmentationCatalog(this.registries.augmentations, this.rng.child('augment'), () =>
      this.container.resolve(AUGMENT_SPEC_BUILDER),
    );
    this.strategies = new StrategyCatalog(this.registries.strategies, this.rng.child('strategy'));
    this.datasets = new DatasetCatalog(this.registries.datasets, this.rng.child('split'), services);
    this.backends = new BackendCatalog(this.registries.backends, this.rng.child('backend'));
    this.callbacks = new CallbackCatalog(this.registries.callbacks, this.rng.child('callback'), services);
    this.use(coreBuiltins());
    for (const plugin of options.plugins ?? []) this.use(plugin);
  }

  /** The service provided under `token` (the last plugin to provide one wins). */
  resolve<T>(token: Token<T>): T {
    return this.container.resolve(token);
  }

  get seed(): number | string {
    return this.rng.seed;
  }

  /** The plugins loaded, in order. */
  get plugins(): readonly FrugalPlugin[] {
    return this.loaded;
  }

  /** Adds a plugin, a `[factory, options]` pair, or a preset. Returns `this` for chaining. */
  use(input: PluginInput): this {
    for (const plugin of resolvePlugins(input)) {
      const earlier = this.loaded.find((p) => p.name === plugin.name);
      if (earlier) {
        if (optionsKey(earlier.options) === optionsKey(plugin.options)) continue;
        throw new FrugalInputError(
          `Plugin "${plugin.name}" is already loaded with options ${optionsKey(earlier.options)}; it cannot be loaded again with ${optionsKey(plugin.options)}. Give it once, with the options you want`,
        );
      }
      plugin.register(this.registryFor(plugin.name));
      this.loaded.push(plugin);
    }
    return this;
  }

  private registryFor(plugin: string): Registry {
    const r = this.registries;
    return {
      plugin,
      model: (entry) => r.models.add(entry, plugin),
      augmentation: (entry) => r.augmentations.add(entry, plugin),
      strategy: (entry) => r.strategies.add(entry, plugin),
      dataset: (entry) => r.datasets.add(entry, plugin),
      backend: (entry) => r.backends.add(entry, plugin),
      callback: (entry) => r.callbacks.add(entry, plugin),
      provide: (token, value) => void this.container.registerInstance(token, value),
    };
  }
}

export function createFrugal(options: CreateFrugalOptions = {}): Frugal {
  return new Frugal(options);
}
