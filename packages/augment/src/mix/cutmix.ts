import type { Augmentation, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { z } from 'zod';
import { defineAugmentation } from '../op.js';
import { probability } from '../params.js';
import { boxMask, type PixelBox } from '../tensor/boxes.js';
import { drawBeta } from './beta.js';
import { checkBatch, mixTargets, type Pairing } from './pairing.js';

export const cutmixParams = z.strictObject({
  /** λ ~ Beta(alpha, alpha) sets the pasted area, 1 − λ of the image. */
  alpha: z.number().gt(0).default(1),
  /** `elem`: each sample draws its own box; `batch`: one box for the whole batch (timm's default). */
  mode: z.enum(['elem', 'batch']).default('elem'),
  /** Probability that a sample (elem) or the batch (batch) gets a pasted patch. */
  p: probability(1),
});
export type CutmixParams = z.output<typeof cutmixParams>;

export interface CutmixDraw extends Pairing {
  readonly boxes: PixelBox[];
}

const EMPTY: PixelBox = { top: 0, left: 0, bottom: 0, right: 0 };

/** timm's `rand_bbox`: a box of side √(1 − λ) times the image's, centred uniformly, clipped. */
function drawBox(rng: Rng, height: number, width: number, lambda: number): PixelBox {
  const cut = Math.sqrt(1 - lambda);
  const h = Math.floor(height * cut);
  const w = Math.floor(width * cut);
  const cy = rng.int(0, height);
  const cx = rng.int(0, width);
  return {
    top: Math.max(0, cy - Math.floor(h / 2)),
    bottom: Math.min(height, cy + Math.floor(h / 2)),
    left: Math.max(0, cx - Math.floor(w / 2)),
    right: Math.min(width, cx + Math.floor(w / 2)),
  };
}

/** Boxes, partners and λ corrected to the pasted area actually inside the image. */
export function drawCutmix(rng: Rng, n: number, height: number, width: number, params: CutmixParams): CutmixDraw {
  const partner = rng.permutation(n);
  const boxes: PixelBox[] = [];
  const draw = () => (rng.bernoulli(params.p) ? drawBox(rng, height, width, drawBeta(rng, params.alpha, params.alpha)) : EMPTY);
  if (params.mode === 'batch') {
    const box = draw();
    for (let i = 0; i < n; i++) boxes.push(box);
  } else {
    for (let i = 0; i < n; i++) boxes.push(draw());
  }
  const lambda = Float32Array.from(boxes, (b) => 1 - ((b.bottom - b.top) * (b.right - b.left)) / (height * width));
  return { partner, lambda, boxes };
}

/** Pastes each partner's box into each image. */
export function pasteBoxes(x: tf.Tensor4D, draw: CutmixDraw): tf.Tensor4D {
  const [, height, width, channels] = x.shape;
  return tf.tidy(() => {
    const mask = boxMask(draw.boxes.map((b) => [b]), height, width, channels);
    return tf.where(mask, tf.gather(x, draw.partner), x) as tf.Tensor4D;
  });
}

/** CutMix (Yun et al. 2019): a box of another image pasted in; targets weighted by area. */
export function cutmixAugmentation(params: CutmixParams): Augmentation {
  const drawFor = (x: tf.Tensor4D, rng: Rng) => drawCutmix(rng, x.shape[0], x.shape[1], x.shape[2], params);
  return {
    name: 'cutmix',
    /** The image half only (for previews); training uses `applyBatch`, which mixes the targets too. */
    apply: (images, rng) => pasteBoxes(images, drawFor(images, rng)),
    applyBatch(batch, rng) {
      checkBatch(batch, 'cutmix');
      const draw = drawFor(batch.x, rng);
      return { x: pasteBoxes(batch.x, draw), y: mixTargets(batch.y, draw) };
    },
  };
}

export const cutmix = defineAugmentation({
  name: 'cutmix',
  description: 'CutMix: paste a box of another image in; labels mixed by the pasted area (soft labels)',
  params: cutmixParams,
  factory: (params) => cutmixAugmentation(params),
});
