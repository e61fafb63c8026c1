import type { Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineOp, spreadItems } from '../op.js';
import { probability, range } from '../params.js';
import { eraseBoxes, type PixelBox } from '../tensor/boxes.js';

const NO_BOX: PixelBox = { top: 0, left: 0, bottom: 0, right: 0 };

/**
 * torchvision's `RandomErasing.get_params`: up to 10 tries at an area fraction from `scale` and a
 * log-uniform aspect ratio from `ratio`; an empty box when none fits.
 */
export function drawErasingBox(
  rng: Rng,
  height: number,
  width: number,
  scale: readonly [number, number],
  ratio: readonly [number, number],
): PixelBox {
  const area = height * width;
  for (let attempt = 0; attempt < 10; attempt++) {
    const eraseArea = area * rng.uniform(scale[0], scale[1]);
    const aspect = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const h = Math.round(Math.sqrt(eraseArea * aspect));
    const w = Math.round(Math.sqrt(eraseArea / aspect));
    if (h < height && w < width && h > 0 && w > 0) {
      const top = rng.int(0, height - h + 1);
      const left = rng.int(0, width - w + 1);
      return { top, left, bottom: top + h, right: left + w };
    }
  }
  return NO_BOX;
}

export const randomErasingParams = z.strictObject({
  /** Fraction of the image area erased. */
  scale: range({ default: [0.02, 0.33], min: 0, max: 1 }),
  /** Aspect ratio (height / width) range of the erased area. */
  ratio: range({ default: [0.3, 3.3], min: 0.01, max: 100 }),
  /** A fill value in [0, 1], or `random` for uniform noise in [0, 1]. */
  value: z.union([z.number().min(0).max(1), z.literal('random')]).default(0),
  p: probability(0.5),
});

export const randomErasing = defineOp({
  name: 'random-erasing',
  description: 'Erase a random rectangle (area scale, aspect ratio) with value or noise (Zhong et al.)',
  params: randomErasingParams,
  draw: (params, rng, n, images) => {
    const [, height, width] = images.shape;
    const boxes = Array.from({ length: n }, () => [drawErasingBox(rng, height, width, params.scale, params.ratio)]);
    return { boxes, seed: rng.seedInt() };
  },
  spread: (args, chosen, n) => ({ boxes: spreadItems((): PixelBox[] => [])(args.boxes, chosen, n), seed: args.seed }),
  kernel: (images, { boxes, seed }, params) =>
    tf.tidy(() => eraseBoxes(images, boxes, params.value === 'random' ? tf.randomUniform(images.shape, 0, 1, 'float32', seed) : params.value)),
});
