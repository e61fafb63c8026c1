export { createFrugal, Frugal, Catalog, ModelCatalog } from './frugal.js';
export type { CreateFrugalOptions, FrugalModels, FrugalAugmentations } from './frugal.js';
export type { FrugalPlugin, PluginFactory, PluginInput, Registry } from './plugin.js';
export { resolvePlugins, isFrugalPlugin } from './plugin.js';
export { NamedRegistry } from './registry/named-registry.js';
export type { RegistryEntry, RegisteredEntry } from './registry/named-registry.js';
export { REGISTRY_KINDS } from './registry/registries.js';
export type {
  Registries,
  RegistryKind,
  ModelFactory,
  AugmentationFactory,
  StrategyFactory,
  DatasetFactory,
  BackendFactory,
  CallbackFactory,
} from './registry/registries.js';
export { Rng, stepSeed } from './rng.js';
export type { RngState } from './rng.js';
export { FrugalInputError, isInputError } from './errors.js';
export { REGISTRIES, ROOT_RNG } from './tokens.js';
export type { Token } from './tokens.js';
export type * from './types.js';
export type { TrainingCallback, LoopState, Logs } from './train/callback.js';
export type { Strategy, StrategyContext, StrategyData, StrategyResult, ModelSpec } from './train/strategy.js';
export { formatZodError } from './recipe/format-zod-error.js';
