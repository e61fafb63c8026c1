import type { FrugalPlugin } from '@frugal/core';
import { AUGMENT_SPEC_BUILDER, FrugalInputError } from '@frugal/core';
import { augmentSpecBuilder } from './pipeline/build.js';
import { ALL_ENTRIES } from './entries.js';
import type { AugmentationEntry } from './op.js';
import type { AugmentContext, AugmentationResolver } from './types.js';

export const PLUGIN_NAME = '@frugal/augment';

/**
 * This plugin's own entries as a resolver: what compositions and RandAugment fall back to when
 * created straight from the registry (`frugal.augmentations.create('rand-augment', ...)`), which
 * does not hand them the instance's registry.
 */
function ownResolver(entries: readonly AugmentationEntry[]): AugmentationResolver {
  const byName = new Map(entries.map((e) => [e.name, e]));
  return {
    has: (name) => byName.has(name),
    get: (name) => {
      const entry = byName.get(name);
      if (!entry) throw new FrugalInputError(`Unknown augmentation "${name}"`);
      return entry;
    },
    names: () => [...byName.keys()].sort(),
    unknownNameHint:
      `Ops from other plugins are found when the pipeline is built with buildPipeline(frugal, specs) from @frugal/augment, ` +
      `which looks names up in the Frugal instance's registry.`,
  };
}

/** Our entries, each handing compositions a resolver when the caller gave none. */
function withFallback(entries: readonly AugmentationEntry[]): AugmentationEntry[] {
  const wrapped: AugmentationEntry[] = entries.map((entry) => ({
    ...entry,
    factory: (params: unknown, ctx: AugmentContext) => entry.factory(params, ctx.augmentations ? ctx : { ...ctx, augmentations: fallback }),
  }));
  const fallback = ownResolver(wrapped);
  return wrapped;
}

export interface AugmentOptions {
  /** Register only these entries (by name); default: all. */
  readonly only?: readonly string[];
}

/**
 * The `@frugal/augment` plugin: batched augmentation ops, compositions, policies (RandAugment,
 * TrivialAugment Wide, AutoAugment) and MixUp/CutMix, in the `augmentations` registry.
 */
export function augment(options: AugmentOptions = {}): FrugalPlugin {
  return {
    name: PLUGIN_NAME,
    register(registry) {
      const only = options.only;
      if (only) {
        const unknown = only.filter((name) => !ALL_ENTRIES.some((e) => e.name === name));
        if (unknown.length) {
          throw new FrugalInputError(
            `${PLUGIN_NAME}: unknown entries in "only": ${unknown.join(', ')}. Known: ${ALL_ENTRIES.map((e) => e.name).join(', ')}`,
          );
        }
      }
      const chosen = only ? ALL_ENTRIES.filter((e) => only.includes(e.name)) : ALL_ENTRIES;
      for (const entry of withFallback(chosen)) registry.augmentation(entry);
      // Recipes, strategies' views and the CLI build specs with ours: `p` on any op, compositions, text forms.
      registry.provide(AUGMENT_SPEC_BUILDER, augmentSpecBuilder);
    },
  };
}
