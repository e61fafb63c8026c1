import type { Augmentation } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { fillValue, probability } from '../params.js';
import { autocontrastImages } from '../ops/autocontrast.js';
import { brightnessImages } from '../ops/brightness.js';
import { contrastImages } from '../ops/contrast.js';
import { equalizeImages } from '../ops/equalize.js';
import { posterizeImages } from '../ops/posterize.js';
import { rotateImages } from '../ops/rotate.js';
import { saturationImages } from '../ops/saturation.js';
import { sharpnessImages } from '../ops/sharpness.js';
import { shearImages } from '../ops/shear.js';
import { pixelThreshold, solarizeImages } from '../ops/solarize.js';
import { translateImages } from '../ops/translate.js';
import type { Interpolation } from '../tensor/affine.js';
import { applyStage, type PolicyKernel, type StageChoice } from './policy-stage.js';
import { withProbability } from '../compose/probability.js';

/**
 * torchvision's TrivialAugmentWide space: the value at bin b of `bins` and whether its sign is
 * random. Translation is in pixels (up to 32), rotation in degrees, enhance ops as 1 + value.
 */
const SPACE: Record<string, { value: (bin: number, bins: number) => number; signed: boolean }> = {
  identity: { value: () => 0, signed: false },
  'shear-x': { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  'shear-y': { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  'translate-x': { value: (b, n) => (32 * b) / (n - 1), signed: true },
  'translate-y': { value: (b, n) => (32 * b) / (n - 1), signed: true },
  rotate: { value: (b, n) => (135 * b) / (n - 1), signed: true },
  brightness: { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  saturation: { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  contrast: { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  sharpness: { value: (b, n) => (0.99 * b) / (n - 1), signed: true },
  posterize: { value: (b, n) => 8 - Math.round(b / ((n - 1) / 6)), signed: false },
  solarize: { value: (b, n) => 255 * (1 - b / (n - 1)), signed: false },
  autocontrast: { value: () => 0, signed: false },
  equalize: { value: () => 0, signed: false },
};

export const TRIVIAL_AUGMENT_OPS = Object.keys(SPACE);

function kernels(fill: number, interpolation: Interpolation): Record<string, PolicyKernel> {
  const geometric = { fill, interpolation };
  const zeros = (v: Float32Array) => new Float32Array(v.length);
  const factors = (v: Float32Array) => v.map((x) => 1 + x);
  return {
    identity: (images) => images.clone(),
    'shear-x': (images, v) => shearImages(images, v, zeros(v), geometric),
    'shear-y': (images, v) => shearImages(images, zeros(v), v, geometric),
    'translate-x': (images, v) => translateImages(images, v.map(Math.trunc), zeros(v), geometric),
    'translate-y': (images, v) => translateImages(images, zeros(v), v.map(Math.trunc), geometric),
    rotate: (images, v) => rotateImages(images, v, geometric),
    brightness: (images, v) => brightnessImages(images, factors(v)),
    saturation: (images, v) => saturationImages(images, factors(v)),
    contrast: (images, v) => contrastImages(images, factors(v)),
    sharpness: (images, v) => sharpnessImages(images, factors(v)),
    posterize: (images, v) => posterizeImages(images, v),
    solarize: (images, v) => solarizeImages(images, v.map((t) => pixelThreshold(Math.ceil(t)))),
    autocontrast: (images) => autocontrastImages(images),
    equalize: (images) => equalizeImages(images),
  };
}

export const trivialAugmentWideParams = z.strictObject({
  /** Magnitude bins (torchvision: 31). */
  bins: z.number().int().min(2).max(256).default(31),
  fill: fillValue(0),
  /** torchvision uses nearest-neighbour sampling for the geometric ops. */
  interpolation: z.enum(['nearest', 'bilinear']).default('nearest'),
  /** Probability that an image gets an op at all. */
  p: probability(1),
});
export type TrivialAugmentWideParams = z.output<typeof trivialAugmentWideParams>;

/**
 * TrivialAugment Wide (Müller & Hutter 2021): each image gets one op, drawn uniformly, at a
 * magnitude bin drawn uniformly — no parameters to tune.
 */
export function trivialAugmentWideAugmentation(params: TrivialAugmentWideParams): Augmentation {
  const table = kernels(params.fill, params.interpolation);
  return {
    name: 'trivial-augment-wide',
    apply(images, rng) {
      const choices: StageChoice[] = [];
      for (let i = 0; i < images.shape[0]; i++) {
        const op = rng.pick(TRIVIAL_AUGMENT_OPS);
        const space = SPACE[op] as (typeof SPACE)[string];
        const value = space.value(rng.int(0, params.bins), params.bins);
        choices.push({ op, value: space.signed && rng.bernoulli(0.5) ? -value : value });
      }
      return tf.tidy(() => applyStage(images, choices, table, rng));
    },
  };
}

export const trivialAugmentWide = defineAugmentation({
  name: 'trivial-augment-wide',
  description: 'TrivialAugment Wide: one random op per image at a random magnitude (torchvision ranges)',
  params: trivialAugmentWideParams,
  factory: (params) => withProbability(trivialAugmentWideAugmentation(params), params.p),
});
