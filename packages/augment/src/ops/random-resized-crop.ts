import { MAX_INPUT_SIDE, type Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { interpolationSchema, probability, range } from '../params.js';

/** A crop in pixels: rows [top, top + height), columns [left, left + width). */
export interface CropBox {
  readonly top: number;
  readonly left: number;
  readonly height: number;
  readonly width: number;
}

/**
 * torchvision's `RandomResizedCrop.get_params`: up to 10 tries at an area fraction from `scale`
 * and an aspect ratio (log-uniform) from `ratio`; if none fits, a centre crop at the nearest
 * allowed ratio.
 */
export function drawResizedCrop(
  rng: Rng,
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): CropBox {
  const area = height * width;
  const logRatio = [Math.log(ratio[0]), Math.log(ratio[1])] as const;
  for (let attempt = 0; attempt < 10; attempt++) {
    const targetArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(logRatio[0], logRatio[1]));
    const w = Math.round(Math.sqrt(targetArea * aspect));
    const h = Math.round(Math.sqrt(targetArea / aspect));
    if (w > 0 && w <= width && h > 0 && h <= height) {
      return { top: rng.int(0, height - h + 1), left: rng.int(0, width - w + 1), height: h, width: w };
    }
  }
  const inRatio = width / height;
  let w = width;
  let h = height;
  if (inRatio < ratio[0]) h = Math.round(w / ratio[0]);
  else if (inRatio > ratio[1]) w = Math.round(h * ratio[1]);
  return { top: Math.floor((height - h) / 2), left: Math.floor((width - w) / 2), height: h, width: w };
}

/** Crops each image to its box and resizes it to `size`, in one batched `cropAndResize`. */
export function cropAndResizeImages(
  images: tf.Tensor4D,
  boxes: readonly CropBox[],
  size: readonly [number, number],
  method: 'bilinear' | 'nearest' = 'bilinear',
): tf.Tensor4D {
  const [n, height, width] = images.shape;
  const dy = Math.max(height - 1, 1);
  const dx = Math.max(width - 1, 1);
  const coords = new Float32Array(n * 4);
  boxes.forEach((b, i) => coords.set([b.top / dy, b.left / dx, (b.top + b.height - 1) / dy, (b.left + b.width - 1) / dx], i * 4));
  return tf.tidy(() =>
    tf.image.cropAndResize(
      images,
      tf.tensor2d(coords, [n, 4]),
      tf.tensor1d(Int32Array.from({ length: n }, (_, i) => i), 'int32'),
      [size[0], size[1]],
      method,
    ),
  );
}

const sizeSchema = z
  .union([z.number().int().min(1).max(MAX_INPUT_SIDE), z.tuple([z.number().int().min(1).max(MAX_INPUT_SIDE), z.number().int().min(1).max(MAX_INPUT_SIDE)])])
  .transform((v): [number, number] => (typeof v === 'number' ? [v, v] : v))
  .optional();

export const randomResizedCropParams = z.strictObject({
  /** Output size `[height, width]` (or one number for squares); default: the input size. */
  size: sizeSchema,
  /** Fraction of the image area the crop covers. */
  scale: range({ default: [0.08, 1], min: 0, max: 1 }),
  /** Aspect ratio (width / height) range of the crop. */
  ratio: range({ default: [3 / 4, 4 / 3], min: 0.01, max: 100 }),
  interpolation: interpolationSchema,
  /** Samples not chosen are resized whole, so every output has the same size. */
  p: probability(1),
});

export const randomResizedCrop = defineAugmentation({
  name: 'random-resized-crop',
  description: 'Crop a random area (scale) and aspect ratio (ratio) of each image and resize it to size',
  params: randomResizedCropParams,
  factory: (params) => ({
    name: 'random-resized-crop',
    apply(images, rng) {
      const [n, height, width] = images.shape;
      const boxes: CropBox[] = [];
      for (let i = 0; i < n; i++) {
        boxes.push(rng.bernoulli(params.p) ? drawResizedCrop(rng, height, width, params.scale, params.ratio) : { top: 0, left: 0, height, width });
      }
      return cropAndResizeImages(images, boxes, params.size ?? [height, width], params.interpolation);
    },
  }),
});
