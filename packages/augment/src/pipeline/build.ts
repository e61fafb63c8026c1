import type { Augmentation, Frugal, Rng } from '@frugal/core';
import { FrugalInputError, formatZodError } from '@frugal/core';
import { withProbability } from '../compose/probability.js';
import { sequenceOf } from '../compose/sequence.js';
import { schemaHasKey } from '../params.js';
import { parseRandAugmentConfig } from '../policies/rand-augment-config.js';
import type { AugmentContext, AugmentationResolver } from '../types.js';
import { pipelineSpecSchema, type AugmentSpec } from './spec.js';

/** Where a composite's children come from, and the name its errors use. */
export interface BuildSite {
  readonly resolver: AugmentationResolver;
  readonly rng: Rng;
  /** Path of the spec in the recipe, e.g. `augment[2].ops[0]`. */
  readonly path: string;
}

function normalize(spec: AugmentSpec, resolver: AugmentationResolver, path: string): { op: string; params: Record<string, unknown> } {
  if (typeof spec === 'string') {
    if (resolver.has(spec)) return { op: spec, params: {} };
    if (/^rand(-|$)/.test(spec)) return { op: 'rand-augment', params: { ...parseRandAugmentConfig(spec, path) } };
    return { op: spec, params: {} };
  }
  const { op, ...params } = spec;
  return { op, params };
}

/** Builds one spec with the entries of `resolver`; errors name `path` and the bad field. */
export function buildSpec(spec: AugmentSpec, site: BuildSite): Augmentation {
  const { resolver, rng, path } = site;
  const { op, params } = normalize(spec, resolver, path);
  if (!resolver.has(op)) {
    throw new FrugalInputError(
      `${path}: unknown augmentation "${op}". Known augmentations: ${resolver.names().join(', ')}. ` +
        (resolver.unknownNameHint ?? `Check the spelling, or load the plugin that provides it.`),
    );
  }
  const entry = resolver.get(op);
  const { p, ...rest } = params;
  const ownsP = schemaHasKey(entry.params, 'p');
  const input = ownsP && p !== undefined ? { ...rest, p } : rest;
  const parsed = entry.params.safeParse(input);
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, `${path} (${op})`, input));
  const ctx: AugmentContext = { rng: rng.child(path), augmentations: resolver, path };
  const aug = entry.factory(parsed.data, ctx);
  if (ownsP || p === undefined) return aug;
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) {
    throw new FrugalInputError(`${path} (${op}).p: got ${JSON.stringify(p)}; expected a probability between 0 and 1`);
  }
  return p < 1 ? withProbability(aug, p) : aug;
}

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
  if (!parsed.success) throw new FrugalInputError(formatZodError(parsed.error, path, specs));
  const site: BuildSite = { resolver: frugal.augmentations, rng: frugal.rng.child('augment-pipeline'), path };
  const children = parsed.data.map((spec, i) => buildSpec(spec, { ...site, path: `${path}[${i}]` }));
  return sequenceOf(children, 'pipeline');
}
