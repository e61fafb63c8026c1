import * as tf from '@tensorflow/tfjs-core';
import { clip01, perSample } from './per-sample.js';

/** ITU-R 601-2 luma weights, as PIL's `convert('L')` and torchvision's `rgb_to_grayscale` use. */
const LUMA = [0.299, 0.587, 0.114] as const;

/** Grey level of each pixel, `[n, h, w, 1]`; a one-channel batch is its own grey level. */
export function luma(images: tf.Tensor4D): tf.Tensor4D {
  const channels = images.shape[3];
  if (channels === 1) return images.clone();
  if (channels !== 3 && channels !== 4) throw new Error(`Colour ops need 1, 3 or 4 channels; got ${channels}`);
  return tf.tidy(() => {
    const rgb = channels === 4 ? tf.slice(images, [0, 0, 0, 0], [-1, -1, -1, 3]) : images;
    return tf.sum(tf.mul(rgb, tf.tensor1d(LUMA as unknown as number[])), 3, true) as tf.Tensor4D;
  });
}

/**
 * PIL's `ImageEnhance` blend: `degenerate + factor · (images − degenerate)`, clipped to [0, 1].
 * Factor 1 keeps the image, 0 gives the degenerate image, above 1 extrapolates away from it.
 */
export function blend(degenerate: tf.Tensor, images: tf.Tensor4D, factors: ArrayLike<number>): tf.Tensor4D {
  return tf.tidy(() => clip01(tf.add(degenerate, tf.mul(perSample(factors), tf.sub(images, degenerate)))) as tf.Tensor4D);
}
