import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { selfAdaptiveFairness } from '../../../losses/self-adaptive-fairness.js';
import type { FixMatchTermSpec } from '../term.js';

const params = {
  /**
   * λ_f: weight of FreeMatch's self-adaptive fairness loss, which moves the confident strong views'
   * mean prediction towards the classes the model's moving averages hold least of (0: off; FreeMatch
   * uses 0.001–0.01). It reads the self-adaptive threshold's estimates, so it needs
   * `confidenceThreshold: self-adaptive`.
   */
  fairnessWeight: z.number().min(0).default(0),
};

/** FreeMatch's self-adaptive fairness over the strong views that passed their threshold. */
export const fairness: FixMatchTermSpec<typeof params> = {
  params,
  checks: [
    {
      ok: (p) => p.fairnessWeight === 0 || p.confidenceThreshold === 'self-adaptive',
      message: "the fairness loss reads the self-adaptive thresholds' estimates: set confidenceThreshold to self-adaptive, or fairnessWeight to 0",
      path: 'fairnessWeight',
    },
  ],
  create: (p, { adaptive }) =>
    p.fairnessWeight > 0 && adaptive
      ? {
          name: 'fairness',
          weight: p.fairnessWeight,
          // Masked-out images carry zero rows as targets.
          loss: ({ strongLogits, pseudoLabels }) =>
            selfAdaptiveFairness(strongLogits, tf.sum(pseudoLabels, -1) as tf.Tensor1D, adaptive.modelProbability(), adaptive.modelHistogram()),
        }
      : undefined,
};
