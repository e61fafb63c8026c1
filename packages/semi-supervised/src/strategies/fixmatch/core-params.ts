import { z } from 'zod';
import { augmentSpecSchema } from '../../augment/augment-spec.js';
import { neighbourLabelsSchema } from '../../pseudo-labels/neighbour-labels.js';
import { consistencyParams } from '../consistency-parts.js';

/** FixMatch's own parameters: the views, the pseudo-labels and the consistency term; each further term brings its own (`terms/`). */
export const coreParams = {
  ...consistencyParams,
  /**
   * Which network predicts the weak views' pseudo-labels: `live` (the paper), the model being
   * trained, in training mode; `ema`, an exponential moving average of its weights (decay
   * `teacherDecay`), in inference mode, which changes slowly and averages out the steps' noise.
   */
  pseudoLabelModel: z.enum(['live', 'ema']).default('live'),
  /** Decay of the `ema` pseudo-labelling teacher's weight average, per step. */
  teacherDecay: z.number().min(0).lt(1).default(0.999),
  /**
   * K: weak views per unlabelled image; the pseudo-label comes from the mean of their softmax
   * (MixMatch's label guessing, Berthelot et al. 2019), which steadies it against the view drawn,
   * for one more forward pass of the unlabelled images per extra view. 1: the paper's single view.
   */
  weakViews: z.number().int().min(1).max(8).default(1),
  /**
   * A second opinion from each image's neighbours in pixel space: every `everyEpochs` epochs the
   * model labels all the unlabelled images, the labels are smoothed over the pixel graph, and each
   * weak-view prediction is mixed with its image's smoothed label (`weight`). For images whose pixels
   * line up (Fashion-MNIST, MNIST); needs the unlabelled images in memory. Default: off.
   */
  neighbourLabels: neighbourLabelsSchema.optional(),
  /**
   * Epochs of supervised training on the labelled images (the recipe's augmentation, batch size and
   * optimiser) before FixMatch starts, so that the first pseudo-labels come from a model that already
   * knows something; 0: FixMatch from the initial weights, as in the paper. With a strong recipe
   * augmentation for this warm-up, set `weakAugment` for FixMatch's weak view.
   */
  supervisedEpochs: z.number().int().min(0).default(0),
  /**
   * Augmentations of the whole batch once the pseudo-labels are set, images and targets together:
   * `[{ op: mixup }]` blends the labelled and strong views in pairs with their targets, which keeps
   * the network from repeating its own confident mistakes (Arazo et al. 2020). Default: none.
   */
  mixAugment: z.array(augmentSpecSchema).default([]),
  /**
   * T: soft pseudo-labels, the weak view's softmax sharpened by this temperature (UDA uses 0.4),
   * instead of its arg-max; the gate still weighs them by the unsharpened confidence. Default: hard.
   */
  pseudoLabelTemperature: z.number().positive().optional(),
  /**
   * Debiased self-training's decoupling (Chen et al. 2022): the strong views learn their
   * pseudo-labels through a second classifier head on the features, the pseudo head, so the head
   * that makes the pseudo-labels (the model's own) learns from the labelled images alone and never
   * from its own mistakes; the features learn from both. The saved model is the classifier alone.
   */
  decoupledHead: z.boolean().default(false),
};

export type CoreParams = z.output<z.ZodObject<typeof coreParams>>;
