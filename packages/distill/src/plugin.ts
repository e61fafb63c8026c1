import type { FrugalPlugin, Strategy, StrategyFactory } from '@frugal/core';
import { trainDistillation } from './distill.js';
import { distillParams, type DistillParams } from './params.js';

export interface DistillOptions {
  /** Prefix for the registered strategy name (e.g. 'my-' gives 'my-distill'). */
  prefix?: string;
}

export const distillStrategy: StrategyFactory<DistillParams> = (params): Strategy => ({
  run: (ctx) => trainDistillation(ctx, params),
});

/** Knowledge distillation as a Frugal plugin: the `distill` strategy. */
export function distill(options: DistillOptions = {}): FrugalPlugin {
  return {
    name: '@frugal/distill',
    register(registry) {
      registry.strategy({
        name: `${options.prefix ?? ''}distill`,
        description: 'Knowledge distillation: a trained teacher\'s softened outputs teach the recipe\'s model (unlabelled images welcome; optional hint loss)',
        params: distillParams,
        factory: distillStrategy,
      });
    },
  };
}
