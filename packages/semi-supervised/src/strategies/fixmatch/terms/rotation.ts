import { FrugalInputError, softCrossEntropy } from '@frugal/core';
import { z } from 'zod';
import { rows } from '../../../losses/row-cross-entropy.js';
import { quarterTurns } from '../../../losses/rotation-task.js';
import type { FixMatchTermSpec } from '../term.js';

/** The name of the rotation head's layer, which the run adds and takes away again. */
const ROTATION_HEAD = 'rotation_head';

const params = {
  /**
   * λ_rot: weight of the rotation task kept alongside FixMatch (S4L, Zhai et al. 2019; ReMixMatch):
   * as many strong views as there are labelled images a step are turned by 0, 90, 180 or 270°, and
   * a second head on the features tells which. The saved model is the classifier alone. 0: off.
   */
  rotationWeight: z.number().min(0).default(0),
};

/** The rotation task on the first strong views (as many as the labelled images), through a head of its own. */
export const rotation: FixMatchTermSpec<typeof params> = {
  params,
  checkImages: (p, [height, width]) => {
    if (p.rotationWeight > 0 && height !== width) {
      throw new FrugalInputError(
        `strategy.params.rotationWeight: the rotation task turns images by quarter turns, so it needs square images, but these are ${height}×${width}; ` +
          'set rotationWeight to 0, or give the dataset a square size',
      );
    }
  },
  create: (p) =>
    p.rotationWeight > 0
      ? {
          name: 'rotation',
          weight: p.rotationWeight,
          head: { name: ROTATION_HEAD, units: 4 },
          rows: ({ labelledRows }, strong) => quarterTurns(rows(strong, 0, Math.min(labelledRows, strong.shape[0]))),
          loss: (pass) => softCrossEntropy(pass.rows!.head!, pass.rows!.targets),
        }
      : undefined,
};
