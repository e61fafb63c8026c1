import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { signedLevels } from '../magnitude.js';
import { defineOp, spreadFields, spreadValues } from '../op.js';
import { fillValue, interpolationSchema, probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { affineTransform, centre, type AffineRows, type TransformOptions } from '../tensor/affine.js';

/**
 * Source-pixel maps of shears about the image centre: a horizontal shear `x` moves row y by
 * x · (y − centre) pixels, a vertical shear `y` moves column x by y · (x − centre).
 */
export function shearMaps(x: ArrayLike<number>, y: ArrayLike<number>, height: number, width: number): AffineRows {
  const cx = centre(width);
  const cy = centre(height);
  const maps = new Float32Array(x.length * 6);
  for (let i = 0; i < x.length; i++) {
    const sx = x[i] as number;
    const sy = y[i] as number;
    maps.set([1, sx, -sx * cy, sy, 1, -sy * cx], i * 6);
  }
  return maps;
}

/** Shears each image by its own factors (the tangent of the shear angle). */
export function shearImages(
  images: tf.Tensor4D,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  options: TransformOptions = {},
): tf.Tensor4D {
  const [, height, width] = images.shape;
  return affineTransform(images, shearMaps(x, y, height, width), options);
}

/** RandAugment magnitude: level 10 = a shear factor of ±0.3. */
export const SHEAR_MAX_FACTOR = 0.3;

const common = { fill: fillValue(0), interpolation: interpolationSchema, p: probability(1) };

export const shear = defineOp({
  name: 'shear',
  description: 'Shear each image horizontally and vertically by factors drawn from x and y',
  params: z.strictObject({
    x: range({ default: [-0.2, 0.2], min: -2, max: 2, symmetric: true }),
    y: range({ default: [-0.2, 0.2], min: -2, max: 2, symmetric: true }),
    ...common,
  }),
  draw: (params, rng, n) => ({ x: drawUniform(rng, n, params.x), y: drawUniform(rng, n, params.y) }),
  spread: spreadFields({ x: 0, y: 0 }),
  kernel: (images, args, params) => shearImages(images, args.x, args.y, params),
});

const factor = range({ default: [-SHEAR_MAX_FACTOR, SHEAR_MAX_FACTOR], min: -2, max: 2, symmetric: true });

export const shearX = defineOp({
  name: 'shear-x',
  description: 'Shear each image horizontally by a factor drawn from factor (RandAugment: level 10 = ±0.3)',
  params: z.strictObject({ factor, ...common }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng) => signedLevels(levels, rng, SHEAR_MAX_FACTOR),
  spread: spreadValues(0),
  kernel: (images, x, params) => shearImages(images, x, new Float32Array(x.length), params),
});

export const shearY = defineOp({
  name: 'shear-y',
  description: 'Shear each image vertically by a factor drawn from factor (RandAugment: level 10 = ±0.3)',
  params: z.strictObject({ factor, ...common }),
  draw: (params, rng, n) => drawUniform(rng, n, params.factor),
  magnitude: (_params, levels, rng) => signedLevels(levels, rng, SHEAR_MAX_FACTOR),
  spread: spreadValues(0),
  kernel: (images, y, params) => shearImages(images, new Float32Array(y.length), y, params),
});
