import { MAX_INPUT_SIDE } from '@frugal/core';
import { z } from 'zod';
import { defineOp, spreadFields } from '../op.js';
import { fillValue, probability } from '../params.js';
import { drawInt } from '../sample.js';
import type { FillMode } from '../tensor/affine.js';
import { translateImages } from './translate.js';

const FILL_MODES: Record<'constant' | 'reflect' | 'edge' | 'wrap', FillMode> = {
  constant: 'constant',
  reflect: 'reflect',
  edge: 'nearest',
  wrap: 'wrap',
};

export const padCropParams = z.strictObject({
  /** Pixels of padding on every side before the crop. */
  padding: z.number().int().min(1).max(MAX_INPUT_SIDE).default(4),
  /**
   * How the padding is filled: `constant` (with `fill`), `reflect` (mirrored, edge pixel included:
   * d c b a | a b c d), `edge` (repeats the border pixel) or `wrap`.
   */
  fillMode: z.enum(['constant', 'reflect', 'edge', 'wrap']).default('constant'),
  fill: fillValue(0),
  p: probability(1),
});

/**
 * CIFAR-style crop: pad by `padding` pixels and crop back to the original size at a random
 * position — a whole-pixel shift of up to `padding` in each direction, done as one batched transform.
 */
export const padCrop = defineOp({
  name: 'pad-crop',
  description: 'Pad by padding pixels and crop back to size at a random position (CIFAR-style random crop)',
  params: padCropParams,
  draw: (params, rng, n): Record<'dx' | 'dy', Float32Array> => ({
    dx: Float32Array.from(drawInt(rng, n, -params.padding, params.padding)),
    dy: Float32Array.from(drawInt(rng, n, -params.padding, params.padding)),
  }),
  spread: spreadFields({ dx: 0, dy: 0 }),
  kernel: (images, { dx, dy }, params) =>
    translateImages(images, dx, dy, { interpolation: 'nearest', fillMode: FILL_MODES[params.fillMode], fill: params.fill }),
});
