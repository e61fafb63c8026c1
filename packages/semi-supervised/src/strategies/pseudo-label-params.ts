import { z } from 'zod';
import { graphSmoothingSchema } from '../pseudo-labels/graph-smoothing.js';

/** Parameters shared by the strategies that train on a teacher's pseudo-labels. */
export const pseudoLabelFields = {
  /** Keep a teacher prediction when its top softmax probability is at least this. */
  confidenceThreshold: z.number().min(0).max(1),
  /** `hard`: one-hot rows of the predicted class; `soft`: the teacher's softmax at `temperature`. */
  labels: z.enum(['hard', 'soft']).default('hard'),
  /** Teacher temperature of soft labels. */
  temperature: z.number().positive().default(1),
  /** Class balancing of the kept pseudo-labels: none, a cap per class, or exactly top-K per class. */
  balance: z.enum(['none', 'cap', 'top-k']).default('none'),
  /** Images per class for `cap` / `top-k`; default: the confident images divided by the class count. */
  perClass: z.number().int().min(1).optional(),
  /** Pseudo-labelled images per labelled image in every batch (the batch has `train.batchSize` labelled ones). */
  unlabelledRatio: z.number().positive().max(64).default(1),
  /** Weight of the pseudo-labelled part of the loss. */
  unlabelledWeight: z.number().min(0).default(1),
  /**
   * Epochs of the teacher on the labelled images; default: `train.epochs`. 0: the teacher is the
   * model the run starts from (`model.init`, e.g. a ladder's previous rung) as it is, untrained.
   */
  teacherEpochs: z.number().int().min(0).optional(),
  /** Student steps per epoch; default: one pass over the larger of labelled and pseudo-labelled images. */
  stepsPerEpoch: z.number().int().min(1).optional(),
  /**
   * Each teacher's predictions smoothed by label propagation over a nearest-neighbour graph of the
   * labelled and unlabelled images' pixels (their principal components) before they become
   * pseudo-labels; for images whose pixels line up from one to the next (Fashion-MNIST, MNIST).
   * Needs the unlabelled images in memory. Default: off.
   */
  graphSmoothing: graphSmoothingSchema.optional(),
  /**
   * `redis://HOST:PORT`: a teacher labels the unlabelled folder (an image-folder's `unlabelledDir`)
   * on this BullMQ queue's workers (`frugal worker`), as `frugal label --queue` does; needs
   * @frugal/distributed loaded and a run directory every worker sees. Default: in this process.
   */
  queue: z
    .string()
    .regex(/^redis:\/\/[^\s/]+/, 'expected redis://HOST:PORT (for example redis://127.0.0.1:6379)')
    .optional(),
  /**
   * A pseudo-label file (`frugal label --out`, on this machine, a queue's workers or an indexed
   * batch job) of the unlabelled folder (an image-folder's `unlabelledDir`): the first student
   * learns from its labels instead of the teacher's own predictions, which are not computed. Pair
   * it with `teacherEpochs: 0` and `model.init` (the model that wrote it) so that the teacher is
   * not trained either. Later generations label the folder as usual. Default: none.
   */
  teacherLabels: z.string().min(1).optional(),
};
