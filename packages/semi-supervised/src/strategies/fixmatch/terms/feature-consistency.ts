import { z } from 'zod';
import { featureConsistencyLoss } from '../../../losses/feature-consistency.js';
import type { FixMatchTermSpec } from '../term.js';

/** The name of the feature consistency's projection layer, which the run adds and takes away again. */
const PROJECTION_HEAD = 'projection_head';

const params = {
  /**
   * λ_s: weight of DoubleMatch's self-supervised loss (Wallin et al. 2022): a linear projection of
   * every strong view's features is pulled, by cosine similarity, towards its weak view's features,
   * so the unlabelled images below the threshold teach the features too. 0: off.
   */
  featureConsistencyWeight: z.number().min(0).default(0),
};

/** DoubleMatch: a projection of each strong view's features pulled towards its weak view's features. */
export const featureConsistency: FixMatchTermSpec<typeof params> = {
  params,
  create: (p, { featureDim }) =>
    p.featureConsistencyWeight > 0
      ? {
          name: 'feature',
          weight: p.featureConsistencyWeight,
          head: { name: PROJECTION_HEAD, units: featureDim },
          weakFeatures: true,
          carry: ({ features }) => features!,
          loss: ({ head, carried }) => featureConsistencyLoss(head!, carried!),
        }
      : undefined,
};
