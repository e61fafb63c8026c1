import type { Rng } from '@frugal/core';
import { z } from 'zod';
import { defineOp, spreadItems } from '../op.js';
import { fillValue, probability } from '../params.js';
import { eraseBoxes, type PixelBox } from '../tensor/boxes.js';

/**
 * DeVries & Taylor's cutout box: a `length`-pixel square centred on a uniformly drawn pixel,
 * clipped at the image border (so boxes near an edge are smaller).
 */
export function drawCutoutBox(rng: Rng, height: number, width: number, length: number): PixelBox {
  const cy = rng.int(0, height);
  const cx = rng.int(0, width);
  const top = cy - Math.floor(length / 2);
  const left = cx - Math.floor(length / 2);
  return {
    top: Math.max(0, top),
    left: Math.max(0, left),
    bottom: Math.min(height, top + length),
    right: Math.min(width, left + length),
  };
}

export const cutoutParams = z.strictObject({
  /** Side of the square, as a fraction of the shorter image side (0.5: 16 px on 32×32). */
  size: z.number().gt(0).max(1).default(0.5),
  /** Squares per image. */
  holes: z.number().int().min(1).max(256).default(1),
  fill: fillValue(0),
  p: probability(1),
});

export const cutout = defineOp({
  name: 'cutout',
  description: 'Fill squares of side size (fraction of the shorter side) at random centres with fill',
  params: cutoutParams,
  draw: (params, rng, n, images) => {
    const [, height, width] = images.shape;
    const length = Math.max(1, Math.round(params.size * Math.min(height, width)));
    return Array.from({ length: n }, () => Array.from({ length: params.holes }, () => drawCutoutBox(rng, height, width, length)));
  },
  spread: spreadItems((): PixelBox[] => []),
  kernel: (images, boxes, params) => eraseBoxes(images, boxes, params.fill),
});
