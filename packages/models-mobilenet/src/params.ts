import type { BuiltModel, ModelBaseParams } from '@frugal/core';
import type { WeightLoadReport } from '@frugal/torch-compat';
import { z } from 'zod';

/** The parameters of every MobileNet. */
export const mobilenetParamsSchema = z.strictObject({
  /** A safetensors file with torchvision weights (the last linear layer skipped when the class count differs). */
  weights: z.string().min(1).optional(),
  /** Channels of every layer times this, rounded to a multiple of 8 (torchvision's `width_mult`). */
  widthMultiplier: z.number().positive().max(4).default(1),
  /**
   * BatchNorm momentum in PyTorch's terms (the weight of each batch in the running statistics);
   * by default torchvision's: 0.1 for MobileNetV2, 0.01 for MobileNetV3. A short run from scratch
   * wants ~0.1: at 0.01 the statistics used in evaluation are still mostly their initial values
   * after a few hundred steps.
   */
  batchNormMomentum: z.number().gt(0).max(1).optional(),
  /** Dropout rate before the last linear layer (torchvision: 0.2). */
  dropout: z.number().min(0).lt(1).default(0.2),
});

export type MobileNetParams = z.input<typeof mobilenetParamsSchema>;
/** The parameters a builder gets: defaults filled in, and the class count and input shape. */
export type ResolvedMobileNetParams = z.output<typeof mobilenetParamsSchema> & ModelBaseParams;

export interface MobileNetModel extends BuiltModel {
  readonly weightsReport?: WeightLoadReport;
}
