import type { TrainingCallback } from '../train/callback.js';
import type { Strategy } from '../train/strategy.js';
import type {
  AugmentationFactory,
  BackendProvider,
  BuildContext,
  BuiltModel,
  DatasetSource,
  ModelBaseParams,
} from '../types.js';
import { NamedRegistry } from './named-registry.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type ModelFactory<P = any> = (params: P & ModelBaseParams, ctx: BuildContext) => BuiltModel;
export type StrategyFactory<P = any> = (params: P, ctx: BuildContext) => Strategy;
export type DatasetFactory<P = any> = (params: P, ctx: BuildContext) => Promise<DatasetSource>;
export type BackendFactory<P = any> = (params: P) => BackendProvider;
export type CallbackFactory<P = any> = (params: P, ctx: BuildContext & { runDir?: string }) => TrainingCallback;
/* eslint-enable @typescript-eslint/no-explicit-any */
export type { AugmentationFactory };

/** The six registries a plugin can add to. */
export interface Registries {
  readonly models: NamedRegistry<ModelFactory>;
  readonly augmentations: NamedRegistry<AugmentationFactory>;
  readonly strategies: NamedRegistry<StrategyFactory>;
  readonly datasets: NamedRegistry<DatasetFactory>;
  readonly backends: NamedRegistry<BackendFactory>;
  readonly callbacks: NamedRegistry<CallbackFactory>;
}

export type RegistryKind = keyof Registries;
export const REGISTRY_KINDS: readonly RegistryKind[] = [
  'models',
  'augmentations',
  'strategies',
  'datasets',
  'backends',
  'callbacks',
];

const SINGULAR: Record<RegistryKind, string> = {
  models: 'model',
  augmentations: 'augmentation',
  strategies: 'strategy',
  datasets: 'dataset',
  backends: 'backend',
  callbacks: 'callback',
};

export function createRegistries(): Registries {
  return {
    models: new NamedRegistry(SINGULAR.models),
    augmentations: new NamedRegistry(SINGULAR.augmentations),
    strategies: new NamedRegistry(SINGULAR.strategies),
    datasets: new NamedRegistry(SINGULAR.datasets),
    backends: new NamedRegistry(SINGULAR.backends),
    callbacks: new NamedRegistry(SINGULAR.callbacks),
  };
}
