import * as tf from '@tensorflow/tfjs-core';

/** A rectangle in pixels: rows [top, bottom), columns [left, right). An empty one erases nothing. */
export interface PixelBox {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

/**
 * `[n, h, w, channels]` as a flat host array, 1 inside any of each sample's boxes (`boxes[i]`, any
 * number) and 0 elsewhere. Pixel (r, c) is inside a box when top ≤ r < bottom and left ≤ c < right;
 * boxes may reach past the border. Built in one pass on the host: as tensor ops, each box cost a
 * dozen kernels on batches of small images.
 */
function boxMaskValues(boxes: readonly (readonly PixelBox[])[], height: number, width: number, channels: number): Uint8Array {
  const mask = new Uint8Array(boxes.length * height * width * channels);
  boxes.forEach((sampleBoxes, i) => {
    for (const box of sampleBoxes) {
      const top = Math.max(0, Math.ceil(box.top));
      const bottom = Math.min(height, Math.ceil(box.bottom));
      const left = Math.max(0, Math.ceil(box.left)) * channels;
      const right = Math.min(width, Math.ceil(box.right)) * channels;
      if (right <= left) continue;
      for (let r = top; r < bottom; r++) {
        const row = (i * height + r) * width * channels;
        mask.fill(1, row + left, row + right);
      }
    }
  });
  return mask;
}

/** `[n, h, w, channels]` boolean mask, true inside any of each sample's boxes (`boxes[i]`, any number). */
export function boxMask(boxes: readonly (readonly PixelBox[])[], height: number, width: number, channels = 1): tf.Tensor4D {
  return tf.tensor4d(boxMaskValues(boxes, height, width, channels), [boxes.length, height, width, channels], 'bool');
}

/** Replaces the pixels inside each sample's boxes by `fill` (a number, or a tensor shaped like images). */
export function eraseBoxes(images: tf.Tensor4D, boxes: readonly (readonly PixelBox[])[], fill: number | tf.Tensor4D): tf.Tensor4D {
  const [, height, width, channels] = images.shape;
  if (typeof fill !== 'number') {
    return tf.tidy(() => tf.where(boxMask(boxes, height, width, channels), fill, images) as tf.Tensor4D);
  }
  // images · keep + fill · erase, with keep and erase made on the host: two kernels, and for finite
  // pixels exactly the pixel or exactly `fill`.
  const inside = boxMaskValues(boxes, height, width, channels);
  const keep = new Float32Array(inside.length).fill(1);
  const erase = new Float32Array(inside.length);
  for (let i = 0; i < inside.length; i++) {
    if (inside[i]) {
      keep[i] = 0;
      erase[i] = fill;
    }
  }
  return tf.tidy(() => tf.add(tf.mul(images, tf.tensor4d(keep, images.shape)), tf.tensor4d(erase, images.shape)) as tf.Tensor4D);
}
