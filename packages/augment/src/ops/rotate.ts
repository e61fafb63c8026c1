import type * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { signedLevels } from '../magnitude.js';
import { defineOp, spreadValues } from '../op.js';
import { fillValue, interpolationSchema, probability, range } from '../params.js';
import { drawUniform } from '../sample.js';
import { affineTransform, centre, type AffineRows, type TransformOptions } from '../tensor/affine.js';

/** Source-pixel maps of counter-clockwise rotations by `degrees` about the image centre. */
export function rotationMaps(degrees: ArrayLike<number>, height: number, width: number): AffineRows {
  const cx = centre(width);
  const cy = centre(height);
  const maps = new Float32Array(degrees.length * 6);
  for (let i = 0; i < degrees.length; i++) {
    const theta = ((degrees[i] as number) * Math.PI) / 180;
    const cos = Math.cos(theta);
    const sin = Math.sin(theta);
    maps.set([cos, -sin, cx - cos * cx + sin * cy, sin, cos, cy - sin * cx - cos * cy], i * 6);
  }
  return maps;
}

/** Rotates each image counter-clockwise by its own angle (degrees), as PIL's `rotate` does. */
export function rotateImages(images: tf.Tensor4D, degrees: ArrayLike<number>, options: TransformOptions = {}): tf.Tensor4D {
  const [, height, width] = images.shape;
  return affineTransform(images, rotationMaps(degrees, height, width), options);
}

export const rotateParams = z.strictObject({
  /** Angle range in degrees; `30` means [-30, 30]. */
  degrees: range({ default: [-30, 30], min: -360, max: 360, symmetric: true }),
  fill: fillValue(0),
  interpolation: interpolationSchema,
  p: probability(1),
});

/** RandAugment magnitude: level 10 = ±30°. */
export const ROTATE_MAX_DEGREES = 30;

export const rotate = defineOp({
  name: 'rotate',
  description: 'Rotate each image by its own angle drawn from degrees (RandAugment: level 10 = ±30°)',
  params: rotateParams,
  draw: (params, rng, n) => drawUniform(rng, n, params.degrees),
  magnitude: (_params, levels, rng) => signedLevels(levels, rng, ROTATE_MAX_DEGREES),
  spread: spreadValues(0),
  kernel: (images, degrees, params) => rotateImages(images, degrees, params),
});
