import type { z } from 'zod';
import type { Registry } from '../plugin.js';
import type { BuildContext, BuiltModel, ModelBaseParams, PretrainedConfig } from '../types.js';

/** A model family: its parameter schema and its builder, which takes the variant's name. */
export interface ModelFamily<N extends string, P> {
  readonly params: z.ZodType<P>;
  create(variant: N, params: P & ModelBaseParams, ctx: BuildContext): BuiltModel;
}

/** Every row of a family's variant table, as `typeof table` declares it: one row, one model name. */
export type VariantModels<T, P> = { [K in keyof T]: P };

/**
 * Registers one model per row of `variants` (in the table's order) under `prefix + name`, described
 * by the row's `description` (and its weights' `pretrained` preprocessing): adding a row adds a model.
 */
export function registerVariants<N extends string, P>(
  registry: Registry,
  variants: Readonly<Record<N, { readonly description: string; readonly pretrained?: PretrainedConfig }>>,
  family: ModelFamily<N, P>,
  prefix = '',
): void {
  for (const name of Object.keys(variants) as N[]) {
    registry.model({
      name: `${prefix}${name}`,
      description: variants[name].description,
      params: family.params,
      ...(variants[name].pretrained ? { pretrained: variants[name].pretrained } : {}),
      factory: (params: P & ModelBaseParams, ctx: BuildContext) => family.create(name, params, ctx),
    });
  }
}
