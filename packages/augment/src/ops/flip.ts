import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp, spreadValues } from '../op.js';
import { probability } from '../params.js';
import { affineTransform, type AffineRows } from '../tensor/affine.js';

export type FlipAxis = 'horizontal' | 'vertical';

/** Source-pixel maps that mirror the samples whose flag is 1 and leave the others as they are. */
export function flipMaps(flags: ArrayLike<number>, height: number, width: number, axis: FlipAxis): AffineRows {
  const maps = new Float32Array(flags.length * 6);
  for (let i = 0; i < flags.length; i++) {
    const mirror = (flags[i] as number) !== 0;
    if (axis === 'horizontal') maps.set(mirror ? [-1, 0, width - 1, 0, 1, 0] : [1, 0, 0, 0, 1, 0], i * 6);
    else maps.set(mirror ? [1, 0, 0, 0, -1, height - 1] : [1, 0, 0, 0, 1, 0], i * 6);
  }
  return maps;
}

/**
 * Mirrors images left–right (`horizontal`) or top–bottom (`vertical`): every image, or those whose
 * flag is 1. One batched transform with whole-pixel maps, so values are copied exactly.
 */
export function flipImages(images: tf.Tensor4D, axis: FlipAxis = 'horizontal', flags?: ArrayLike<number>): tf.Tensor4D {
  const [n, height, width] = images.shape;
  return affineTransform(images, flipMaps(flags ?? new Float32Array(n).fill(1), height, width, axis), { interpolation: 'nearest' });
}

export const flipParams = z.strictObject({
  axis: z.enum(['horizontal', 'vertical']).default('horizontal'),
  p: probability(0.5),
});

export const flip = defineOp({
  name: 'flip',
  description: 'Mirror images left-right (or top-bottom with axis: vertical), each with probability p',
  params: flipParams,
  draw: (_params, _rng, n) => new Float32Array(n).fill(1),
  spread: spreadValues(0),
  kernel: (images, flags, params) => flipImages(images, params.axis, flags),
});
