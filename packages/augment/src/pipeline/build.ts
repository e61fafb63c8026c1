import type { Augmentation, AugmentSpec, AugmentSpecBuilder, BuildSite, Frugal } from '@frugal/core';
import { FrugalInputError, formatZodError, parseAugmentSpec, pipelineSpecSchema } from '@frugal/core';
import { withProbability } from '../compose/probability.js';
import { sequenceOf } from '../compose/sequence.js';
import type { AugmentContext } from '../types.js';

export type { BuildSite } from '@frugal/core';

/**
 * Builds one spec with the entries of `resolver`: core's parser checks it, then `p` on an op that
 * does not take it applies the op to that share of the samples. Errors name `path` and the bad field.
 */
export function buildSpec(spec: AugmentSpec, site: BuildSite): Augmentation {
  const { resolver, rng, path } = site;
  const { op, params, p } = parseAugmentSpec(spec, resolver, path);
  const ctx: AugmentContext = { rng: rng.child(path), augmentations: resolver, path };
  const aug = resolver.get(op).factory(params, ctx);
  return p !== undefined && p < 1 ? withProbability(aug, p) : aug;
}

/** @frugal/augment's spec builder, which the plugin provides to the Frugal instance. */
export const augmentSpecBuilder: AugmentSpecBuilder = { build: buildSpec };

/** Builds each spec of a list (a composite's `ops`) under `site.path`. */
export function buildSpecs(specs: readonly AugmentSpec[], site: BuildSite, field = 'ops'): Augmentation[] {
  return specs.map((spec, i) => buildSpec(spec, { ...site, path: `${site.path}.${field}[${i}]` }));
}

/** The resolver and path a composite factory builds its children with. */
export function siteOf(ctx: AugmentContext, name: string): BuildSite {
  if (!ctx.augmentations) {
    throw new Error(
      `${name} needs the augmentations registry to build its ops; create it with buildPipeline(frugal, specs) ` +
        `or through a Frugal instance that has @frugal/augment loaded.`,
    );
  }
  return { resolver: ctx.augmentations, rng: ctx.rng, path: ctx.path ?? name };
}

export interface BuildPipelineOptions {
  /** Name of the list in error messages (the recipe field). */
  readonly path?: string;
}

/**
 * Turns recipe-style specs into one augmentation, resolving every op name — inside compositions
 * and RandAugment too — from the Frugal instance's registry, so ops of any loaded plugin can be
 * named. `[{ op: 'flip', p: 0.5 }, { op: 'rand-augment', n: 2, m: 9 }]` → flip, then RandAugment.
 */
export function buildPipeline(frugal: Pick<Frugal, 'augmentations' | 'rng'>, specs: unknown, options: BuildPipelineOptions = {}): Augmentation {
  const path = options.path ?? 'augment';
  const parsed = pipelineSpecSchema.safeParse(specs);
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, path, specs, pipelineSpecSchema));
  const site: BuildSite = { resolver: frugal.augmentations, rng: frugal.rng.child('augment-pipeline'), path };
  const children = parsed.data.map((spec, i) => buildSpec(spec, { ...site, path: `${path}[${i}]` }));
  return sequenceOf(children, 'pipeline');
}
