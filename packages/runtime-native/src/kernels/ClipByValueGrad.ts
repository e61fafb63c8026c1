import { ClipByValue, greaterEqual, lessEqual, logicalAnd, where, zerosLike, type ClipByValueAttrs } from '@tensorflow/tfjs-core';
import { activationGradConfig, activationGradKernel } from './activation-gradient.js';
import { CLIP_GRAD } from './run-elementwise.js';

/**
 * ClipByValue's gradient, dy where min ≤ x ≤ max and 0 elsewhere, as one kernel (tfjs runs
 * GreaterEqual, LessEqual, LogicalAnd, ZerosLike and Select): the gradient of ReLU6, which
 * tfjs-layers' `reLU({ maxValue: 6 })` clips to.
 */
export const CLIP_GRAD_KERNEL = 'FrugalClipByValueGrad';

export const clipGradKernelConfig = activationGradKernel<ClipByValueAttrs>(CLIP_GRAD_KERNEL, CLIP_GRAD, (attrs) => [attrs.clipValueMin, attrs.clipValueMax]);

export const clipGradConfig = activationGradConfig(ClipByValue, CLIP_GRAD_KERNEL, (dy, x, attrs) => {
  const { clipValueMin, clipValueMax } = attrs as unknown as ClipByValueAttrs;
  return where(logicalAnd(greaterEqual(x, clipValueMin), lessEqual(x, clipValueMax)), dy, zerosLike(dy));
});
