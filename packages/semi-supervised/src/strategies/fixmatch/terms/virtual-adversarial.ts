import { normalize } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { rowCrossEntropy, rows } from '../../../losses/row-cross-entropy.js';
import { virtualAdversarial } from '../../../losses/virtual-adversarial.js';
import { liveLogits } from '../live-logits.js';
import type { FixMatchTermSpec } from '../term.js';

const params = {
  /**
   * λ_vat: weight of virtual adversarial training beside FixMatch (VAT, Miyato et al. 2018): the
   * first `vatImages` weak views of a step are each moved by `vatEpsilon` in the direction that
   * changes the network's prediction most, and learn to keep the prediction. Unlike the
   * pseudo-labels, it counts every image, however unsure the network is of it. 0: off.
   */
  vatWeight: z.number().min(0).default(0),
  /** ε: how far VAT moves an image, L2 over its pixels in [0, 1] (the paper's 2 on MNIST). */
  vatEpsilon: z.number().positive().default(2),
  /** ξ: the radius of VAT's finite difference; the paper's 1e-6 needs float32 arithmetic throughout (about 0.1 under bfloat16). */
  vatXi: z.number().positive().default(1e-6),
  /** Unlabelled images a step that VAT moves, the first of the batch; default: all of them. */
  vatImages: z.number().int().min(1).optional(),
};

/** Virtual adversarial images from the first weak views, each learning to keep the prediction of its image. */
export const virtualAdversarialTraining: FixMatchTermSpec<typeof params> = {
  params,
  checks: [
    {
      ok: (p) => p.vatWeight === 0 || p.mixAugment.length === 0,
      message: 'mixing images would blend the adversarial images with the others: leave mixAugment empty, or set vatWeight to 0',
      path: 'vatWeight',
    },
  ],
  create: (p) =>
    p.vatWeight > 0
      ? {
          name: 'vat',
          weight: p.vatWeight,
          rows: ({ built, weak, info, normalization }) => {
            const count = Math.min(p.vatImages ?? weak.shape[0], weak.shape[0]);
            const logits = (x: tf.Tensor4D) => liveLogits(built, normalize(x, normalization) as tf.Tensor4D);
            return virtualAdversarial(logits, rows(weak, 0, count), p.vatEpsilon, p.vatXi, info.rng.child('vat').seedInt());
          },
          loss: (pass) => tf.mean(rowCrossEntropy(pass.rows!.logits, pass.rows!.targets)) as tf.Scalar,
        }
      : undefined,
};
