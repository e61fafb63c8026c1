import { FrugalInputError } from '../errors.js';
import type { Rng } from '../rng.js';
import { token } from '../tokens.js';
import type { Augmentation } from '../types.js';
import { parseAugmentSpec, type AugmentationResolver } from './parse-spec.js';
import type { AugmentSpec } from './spec.js';

/** Where a spec is built: the names it may use, its random stream and its path in the recipe. */
export interface BuildSite {
  readonly resolver: AugmentationResolver;
  readonly rng: Rng;
  /** Path of the spec, e.g. `augment[2].ops[0]`. */
  readonly path: string;
}

/** Turns one parsed spec into an augmentation. @frugal/augment provides one that applies `p` to any op. */
export interface AugmentSpecBuilder {
  build(spec: AugmentSpec, site: BuildSite): Augmentation;
}

/** The container token of the spec builder; a plugin provides its own with `registry.provide`. */
export const AUGMENT_SPEC_BUILDER = token<AugmentSpecBuilder>('frugal.augment-spec-builder');

/** Core's builder: the op as its entry builds it; a `p` the op does not take needs @frugal/augment's builder. */
export const basicSpecBuilder: AugmentSpecBuilder = {
  build(spec, site) {
    const { op, params, p } = parseAugmentSpec(spec, site.resolver, site.path);
    if (p !== undefined && p < 1) {
      throw new FrugalInputError(
        `${site.path} (${op}).p: applying an op to a share of the samples needs @frugal/augment's spec builder; load @frugal/augment, or drop p`,
      );
    }
    return site.resolver.get(op).factory(params, { rng: site.rng.child(site.path), augmentations: site.resolver, path: site.path });
  },
};
