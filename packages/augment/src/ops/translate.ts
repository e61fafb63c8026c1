import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { signedLevels } from '../magnitude.js';
import { defineOp, spreadFields, spreadValues } from '../op.js';
import { fillValue, interpolationSchema, probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { affineTransform, type AffineRows, type TransformOptions } from '../tensor/affine.js';

/** Source-pixel maps of shifts by (dx, dy) pixels: content moves right and down for positive values. */
export function translationMaps(dx: ArrayLike<number>, dy: ArrayLike<number>): AffineRows {
  const maps = new Float32Array(dx.length * 6);
  for (let i = 0; i < dx.length; i++) maps.set([1, 0, -(dx[i] as number), 0, 1, -(dy[i] as number)], i * 6);
  return maps;
}

/** Shifts each image by its own (dx, dy), in pixels. */
export function translateImages(
  images: tf.Tensor4D,
  dx: ArrayLike<number>,
  dy: ArrayLike<number>,
  options: TransformOptions = {},
): tf.Tensor4D {
  return affineTransform(images, translationMaps(dx, dy), options);
}

function scaled(fractions: Float32Array, size: number): Float32Array {
  return fractions.map((f) => f * size);
}

/** RandAugment magnitude (timm's TranslateRel): level 10 = ±45% of the image size. */
export const TRANSLATE_MAX_FRACTION = 0.45;

const common = { fill: fillValue(0), interpolation: interpolationSchema, p: probability(1) };
const fraction = (max: number) => range({ default: [-max, max], min: -1, max: 1, symmetric: true });

export const translate = defineOp({
  name: 'translate',
  description: 'Shift each image by fractions of its width (x) and height (y) drawn per sample',
  params: z.strictObject({ x: fraction(0.1), y: fraction(0.1), ...common }),
  draw: (params, rng, n) => ({ x: drawUniform(rng, n, params.x), y: drawUniform(rng, n, params.y) }),
  spread: spreadFields({ x: 0, y: 0 }),
  kernel: (images, args, params) => translateImages(images, scaled(args.x, images.shape[2]), scaled(args.y, images.shape[1]), params),
});

export const translateX = defineOp({
  name: 'translate-x',
  description: 'Shift each image sideways by a fraction of its width (RandAugment: level 10 = ±45%)',
  params: z.strictObject({ fraction: fraction(TRANSLATE_MAX_FRACTION), ...common }),
  draw: (params, rng, n) => drawUniform(rng, n, params.fraction),
  magnitude: (_params, levels, rng) => signedLevels(levels, rng, TRANSLATE_MAX_FRACTION),
  spread: spreadValues(0),
  kernel: (images, x, params) => translateImages(images, scaled(x, images.shape[2]), new Float32Array(x.length), params),
});

export const translateY = defineOp({
  name: 'translate-y',
  description: 'Shift each image up or down by a fraction of its height (RandAugment: level 10 = ±45%)',
  params: z.strictObject({ fraction: fraction(TRANSLATE_MAX_FRACTION), ...common }),
  draw: (params, rng, n) => drawUniform(rng, n, params.fraction),
  magnitude: (_params, levels, rng) => signedLevels(levels, rng, TRANSLATE_MAX_FRACTION),
  spread: spreadValues(0),
  kernel: (images, y, params) => translateImages(images, new Float32Array(y.length), scaled(y, images.shape[1]), params),
});
