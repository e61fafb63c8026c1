import type { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp, spreadItems } from '../op.js';
import { fillValue, probability, range } from '../params.js';
import { drawUniform } from '../sample.js';

/** A displacement per pixel, in pixels: `[dy, dx]` for each row-major pixel. */
export type DisplacementField = Float32Array;

/** A Gaussian kernel of standard deviation `sigma`, cut at three of them (sigma 0: the single tap 1). */
function gaussianKernel(sigma: number): Float32Array {
  if (sigma === 0) return Float32Array.of(1);
  const radius = Math.ceil(3 * sigma);
  const kernel = new Float32Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += kernel[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return kernel.map((v) => v / sum);
}

/** The index a reflecting border gives position `i` on an axis of `size` pixels (no edge repeated). */
function reflect(i: number, size: number): number {
  if (size === 1) return 0;
  const period = 2 * size - 2;
  const j = ((i % period) + period) % period;
  return j < size ? j : period - j;
}

/**
 * Blurs `plane` (height × width, row-major) along one axis with `kernel`, reflecting at the
 * borders: each line is first copied with its reflected margins, then convolved.
 */
function blurAxis(plane: Float32Array, height: number, width: number, kernel: Float32Array, alongRows: boolean): Float32Array {
  const taps = kernel.length;
  const radius = (taps - 1) / 2;
  const lines = alongRows ? width : height;
  const length = alongRows ? height : width;
  const stride = alongRows ? 1 : width;
  const step = alongRows ? width : 1;
  const padded = new Float32Array(length + 2 * radius);
  const out = new Float32Array(plane.length);
  for (let line = 0; line < lines; line++) {
    const first = line * stride;
    for (let i = 0; i < length; i++) padded[i + radius] = plane[first + i * step]!;
    for (let i = 0; i < radius; i++) {
      padded[i] = plane[first + reflect(i - radius, length) * step]!;
      padded[length + radius + i] = plane[first + reflect(length + i, length) * step]!;
    }
    for (let i = 0; i < length; i++) {
      let sum = 0;
      for (let k = 0; k < taps; k++) sum += kernel[k]! * padded[i + k]!;
      out[first + i * step] = sum;
    }
  }
  return out;
}

/**
 * Simard et al.'s elastic distortion field: uniform noise in [-1, 1] per pixel and axis, smoothed
 * by a Gaussian of `sigma` pixels (reflecting at the borders), times `alpha` pixels.
 */
export function drawDisplacementField(rng: Rng, height: number, width: number, alpha: number, sigma: number): DisplacementField {
  const kernel = gaussianKernel(sigma);
  const pixels = height * width;
  const field = new Float32Array(pixels * 2);
  for (let axis = 0; axis < 2; axis++) {
    const noise = new Float32Array(pixels);
    for (let i = 0; i < pixels; i++) noise[i] = rng.uniform(-1, 1);
    const smooth = blurAxis(blurAxis(noise, height, width, kernel, true), height, width, kernel, false);
    for (let i = 0; i < pixels; i++) field[2 * i + axis] = alpha * smooth[i]!;
  }
  return field;
}

/**
 * Moves every pixel by its image's displacement field (`null`: unchanged), reading the source
 * bilinearly; what falls outside the image reads `fill`. Computed on the host: one read of the
 * batch, one upload.
 */
export function displaceImages(images: tf.Tensor4D, fields: readonly (DisplacementField | null)[], fill: number): tf.Tensor4D {
  const [n, height, width, channels] = images.shape;
  if (fields.length !== n) throw new Error(`displaceImages: ${fields.length} fields for ${n} images`);
  const source = images.dataSync() as Float32Array;
  const out = new Float32Array(source.length);
  const size = height * width * channels;
  for (let b = 0; b < n; b++) {
    const field = fields[b];
    const base = b * size;
    if (!field) {
      out.set(source.subarray(base, base + size), base);
      continue;
    }
    const read = (y: number, x: number, c: number) =>
      y >= 0 && y < height && x >= 0 && x < width ? (source[base + (y * width + x) * channels + c] as number) : fill;
    for (let p = 0; p < height * width; p++) {
      const y = Math.floor(p / width) + (field[2 * p] as number);
      const x = (p % width) + (field[2 * p + 1] as number);
      const y0 = Math.floor(y);
      const x0 = Math.floor(x);
      const fy = y - y0;
      const fx = x - x0;
      for (let c = 0; c < channels; c++) {
        const top = (1 - fx) * read(y0, x0, c) + fx * read(y0, x0 + 1, c);
        const bottom = (1 - fx) * read(y0 + 1, x0, c) + fx * read(y0 + 1, x0 + 1, c);
        out[base + p * channels + c] = (1 - fy) * top + fy * bottom;
      }
    }
  }
  return tf.tensor4d(out, images.shape);
}

export const elasticParams = z.strictObject({
  /** How far pixels move: the smoothed noise's scale, in pixels (Simard et al.: 34 on 28×28 digits). */
  alpha: range({ default: [34, 34], min: 0, max: 1000 }),
  /** How smooth the field is: the Gaussian's standard deviation, in pixels (Simard et al.: 4). */
  sigma: z.number().min(0).max(100).default(4),
  fill: fillValue(0),
  p: probability(0.5),
});

export const elastic = defineOp({
  name: 'elastic',
  description: 'Distort like a rubber sheet: move pixels by smoothed random displacements (alpha px, sigma px; Simard et al.)',
  params: elasticParams,
  draw: (params, rng, n, images) => {
    const [, height, width] = images.shape;
    const alphas = drawUniform(rng, n, params.alpha);
    return Array.from(alphas, (alpha): DisplacementField | null => drawDisplacementField(rng, height, width, alpha, params.sigma));
  },
  spread: spreadItems((): DisplacementField | null => null),
  kernel: (images, fields, params) => displaceImages(images, fields, params.fill),
});
