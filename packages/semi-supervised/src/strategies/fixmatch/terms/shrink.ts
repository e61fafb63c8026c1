import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { shrunkLoss, shrunkTargets } from '../../../losses/shrunk-class-space.js';
import type { FixMatchTermSpec } from '../term.js';

/** The name of the shrunk class spaces' head, which the run adds and takes away again. */
const SHRINK_HEAD = 'shrink_head';

const params = {
  /**
   * λ_shrink: weight of ShrinkMatch's loss (Yang et al. 2023) on the unlabelled images below the
   * threshold. Each leaves out the classes its weak view ranks next to its top class, one by one,
   * until the top class passes the threshold among those left, and its strong view learns the top
   * class against them alone: what the image is not, without the classes it hesitates between. 0: off.
   */
  shrinkWeight: z.number().min(0).default(0),
  /** With `shrinkWeight`: the shrunk spaces are learnt by a head of their own on the features (ShrinkMatch's), not by the classifier. */
  shrinkHead: z.boolean().default(true),
};

/** ShrinkMatch: the strong views below the threshold learn their top class in their shrunk class spaces. */
export const shrink: FixMatchTermSpec<typeof params> = {
  params,
  checks: [
    {
      ok: (p) => p.shrinkWeight === 0 || p.confidenceThreshold !== 'soft',
      message: 'shrunk class spaces are shrunk until the top class passes a threshold: set confidenceThreshold to a number or self-adaptive, or shrinkWeight to 0',
      path: 'shrinkWeight',
    },
    {
      ok: (p) => p.shrinkWeight === 0 || p.mixAugment.length === 0,
      message: 'mixing images would blend their shrunk class spaces: leave mixAugment empty, or set shrinkWeight to 0',
      path: 'shrinkWeight',
    },
  ],
  create: (p, { numClasses }) =>
    p.shrinkWeight > 0
      ? {
          name: 'shrink',
          weight: p.shrinkWeight,
          ...(p.shrinkHead ? { head: { name: SHRINK_HEAD, units: numClasses } } : {}),
          // Each image's shrunk targets, then the classes its space keeps.
          carry: ({ logits, targets, gate, info }) => {
            const shrunk = shrunkTargets(logits, tf.sum(targets, -1) as tf.Tensor1D, gate);
            info.track('shrinkRate', shrunk.shrinkRate);
            return tf.concat([shrunk.targets, shrunk.kept], 1) as tf.Tensor2D;
          },
          loss: ({ carried, head, strongLogits }) => {
            const [targets, kept] = tf.split(carried!, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
            return shrunkLoss(head ?? strongLogits, targets, kept);
          },
        }
      : undefined,
};
