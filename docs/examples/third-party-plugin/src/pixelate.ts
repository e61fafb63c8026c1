import type { Augmentation, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';

export const pixelateParams = z.strictObject({
  /** Side of the square blocks, in pixels: each image draws one size in [min, max]. */
  blockSize: z.tuple([z.number().int().min(1), z.number().int().min(1)]).default([2, 4]),
  /** Probability that an image is pixelated. */
  p: z.number().min(0).max(1).default(0.5),
});

export type PixelateParams = z.output<typeof pixelateParams>;

/** Every image of the batch at `blockSize`-pixel resolution: shrink, then enlarge by nearest neighbour. */
export function pixelateImages(images: tf.Tensor4D, blockSize: number): tf.Tensor4D {
  if (blockSize <= 1) return images.clone();
  return tf.tidy(() => {
    const [, height, width] = images.shape;
    const small = tf.image.resizeBilinear(images, [Math.max(1, Math.round(height / blockSize)), Math.max(1, Math.round(width / blockSize))]);
    return tf.image.resizeNearestNeighbor(small, [height, width]);
  });
}

/**
 * The `pixelate` augmentation: each image, with probability `p`, is replaced by a blocky copy.
 * A block size is drawn per image from the seeded stream, so the same seed gives the same images.
 */
export function pixelate(params: PixelateParams): Augmentation {
  const [low, high] = params.blockSize;
  if (low > high) throw new RangeError(`pixelate: blockSize [${low}, ${high}] must be [min, max] with min <= max`);
  return {
    name: 'pixelate',
    apply(images: tf.Tensor4D, rng: Rng): tf.Tensor4D {
      const n = images.shape[0];
      const sizes = Array.from({ length: n }, () => (rng.bernoulli(params.p) ? rng.int(low, high + 1) : 1));
      return tf.tidy(() => {
        let out: tf.Tensor4D = images.clone();
        for (const size of new Set(sizes)) {
          if (size === 1) continue;
          const mask = tf.tensor4d(sizes.map((s) => (s === size ? 1 : 0)), [n, 1, 1, 1], 'bool');
          out = tf.where(mask, pixelateImages(images, size), out);
        }
        return out;
      });
    },
  };
}
