import type { Augmentation } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { enhanceFactors, LEVEL_DENOMINATOR, signedLevels } from '../magnitude.js';
import { defineAugmentation } from '../op.js';
import { fillValue, probability } from '../params.js';
import { autocontrastImages } from '../ops/autocontrast.js';
import { contrastImages } from '../ops/contrast.js';
import { equalizeImages } from '../ops/equalize.js';
import { invertImages } from '../ops/invert.js';
import { posterizeImages } from '../ops/posterize.js';
import { ROTATE_MAX_DEGREES, rotateImages } from '../ops/rotate.js';
import { saturationImages } from '../ops/saturation.js';
import { sharpnessImages } from '../ops/sharpness.js';
import { SHEAR_MAX_FACTOR, shearImages } from '../ops/shear.js';
import { solarizeImages, solarizeThresholds } from '../ops/solarize.js';
import { applyStage, type PolicyKernel, type StageChoice } from './policy-stage.js';
import { withProbability } from '../compose/probability.js';

type SubPolicy = readonly [readonly [string, number, number], readonly [string, number, number]];

/**
 * The ImageNet policy of AutoAugment (Cubuk et al. 2019): 25 sub-policies of two
 * (op, probability, level) steps, levels on the 0–10 scale, as timm's "original" policy states it.
 */
export const IMAGENET_POLICY: readonly SubPolicy[] = [
  [['posterize', 0.4, 8], ['rotate', 0.6, 9]],
  [['solarize', 0.6, 5], ['autocontrast', 0.6, 5]],
  [['equalize', 0.8, 8], ['equalize', 0.6, 3]],
  [['posterize', 0.6, 7], ['posterize', 0.6, 6]],
  [['equalize', 0.4, 7], ['solarize', 0.2, 4]],
  [['equalize', 0.4, 4], ['rotate', 0.8, 8]],
  [['solarize', 0.6, 3], ['equalize', 0.6, 7]],
  [['posterize', 0.8, 5], ['equalize', 1.0, 2]],
  [['rotate', 0.2, 3], ['solarize', 0.6, 8]],
  [['equalize', 0.6, 8], ['posterize', 0.4, 6]],
  [['rotate', 0.8, 8], ['saturation', 0.4, 0]],
  [['rotate', 0.4, 9], ['equalize', 0.6, 2]],
  [['equalize', 0.0, 7], ['equalize', 0.8, 8]],
  [['invert', 0.6, 4], ['equalize', 1.0, 8]],
  [['saturation', 0.6, 4], ['contrast', 1.0, 8]],
  [['rotate', 0.8, 8], ['saturation', 1.0, 2]],
  [['saturation', 0.8, 8], ['solarize', 0.8, 7]],
  [['sharpness', 0.4, 7], ['invert', 0.6, 8]],
  [['shear-x', 0.6, 5], ['equalize', 1.0, 9]],
  [['saturation', 0.4, 0], ['equalize', 0.6, 3]],
  [['equalize', 0.4, 7], ['solarize', 0.2, 4]],
  [['solarize', 0.6, 5], ['autocontrast', 0.6, 5]],
  [['invert', 0.6, 4], ['equalize', 1.0, 8]],
  [['saturation', 0.6, 4], ['contrast', 1.0, 8]],
  [['equalize', 0.8, 8], ['equalize', 0.6, 3]],
];

/** Level → op arguments as the paper's policy uses them (posterize keeps 4–8 bits, as timm's PosterizeOriginal). */
function kernels(fill: number): Record<string, PolicyKernel> {
  const geometric = { fill, interpolation: 'bilinear' as const };
  return {
    posterize: (images, levels) => posterizeImages(images, levels.map((l) => Math.floor((l / LEVEL_DENOMINATOR) * 4) + 4)),
    rotate: (images, levels, rng) => rotateImages(images, signedLevels(levels, rng, ROTATE_MAX_DEGREES), geometric),
    'shear-x': (images, levels, rng) => shearImages(images, signedLevels(levels, rng, SHEAR_MAX_FACTOR), new Float32Array(levels.length), geometric),
    solarize: (images, levels) => solarizeImages(images, solarizeThresholds(levels)),
    autocontrast: (images) => autocontrastImages(images),
    equalize: (images) => equalizeImages(images),
    invert: (images) => invertImages(images),
    saturation: (images, levels, rng) => saturationImages(images, enhanceFactors(levels, rng)),
    contrast: (images, levels, rng) => contrastImages(images, enhanceFactors(levels, rng)),
    sharpness: (images, levels, rng) => sharpnessImages(images, enhanceFactors(levels, rng)),
  };
}

export const autoAugmentParams = z.strictObject({
  policy: z.enum(['imagenet']).default('imagenet'),
  /** Fill of the geometric ops (timm fills with mid-grey). */
  fill: fillValue(0.5),
  /** Probability that an image gets its sub-policy at all. */
  p: probability(1),
});
export type AutoAugmentParams = z.output<typeof autoAugmentParams>;

/** AutoAugment: each image draws one sub-policy and runs its two steps, each with its probability. */
export function autoAugmentAugmentation(params: AutoAugmentParams): Augmentation {
  const table = kernels(params.fill);
  const policy = IMAGENET_POLICY;
  return {
    name: 'auto-augment',
    apply(images, rng) {
      const n = images.shape[0];
      const picked = Array.from({ length: n }, () => rng.pick(policy));
      return tf.tidy(() => {
        let x = images;
        for (const stage of [0, 1] as const) {
          const choices = picked.map((sub): StageChoice | null => {
            const [op, probability, level] = sub[stage];
            return rng.bernoulli(probability) ? { op, value: level } : null;
          });
          x = applyStage(x, choices, table, rng);
        }
        return x;
      });
    },
  };
}

export const autoAugment = defineAugmentation({
  name: 'auto-augment',
  description: 'AutoAugment ImageNet policy: one of 25 learned two-op sub-policies per image',
  params: autoAugmentParams,
  factory: (params) => withProbability(autoAugmentAugmentation(params), params.p),
});
