import * as tf from '@tensorflow/tfjs-core';
import { perSample } from './per-sample.js';

/** A rectangle in pixels: rows [top, bottom), columns [left, right). An empty one erases nothing. */
export interface PixelBox {
  readonly top: number;
  readonly left: number;
  readonly bottom: number;
  readonly right: number;
}

const EMPTY: PixelBox = { top: 0, left: 0, bottom: 0, right: 0 };

/** `[n, h, w, 1]` boolean mask, true inside any of each sample's boxes (`boxes[i]`, any number). */
export function boxMask(boxes: readonly (readonly PixelBox[])[], height: number, width: number): tf.Tensor4D {
  const n = boxes.length;
  const perImage = Math.max(0, ...boxes.map((b) => b.length));
  return tf.tidy(() => {
    const rows = tf.reshape(tf.range(0, height, 1, 'float32'), [1, height, 1, 1]);
    const cols = tf.reshape(tf.range(0, width, 1, 'float32'), [1, 1, width, 1]);
    let mask: tf.Tensor = tf.zeros([n, height, width, 1], 'bool');
    for (let k = 0; k < perImage; k++) {
      const side = (key: keyof PixelBox) => perSample(boxes.map((b) => (b[k] ?? EMPTY)[key]));
      const insideRows = tf.logicalAnd(tf.greaterEqual(rows, side('top')), tf.less(rows, side('bottom')));
      const insideCols = tf.logicalAnd(tf.greaterEqual(cols, side('left')), tf.less(cols, side('right')));
      mask = tf.logicalOr(mask, tf.logicalAnd(insideRows, insideCols));
    }
    return mask as tf.Tensor4D;
  });
}

/** Replaces the pixels inside each sample's boxes by `fill` (a number, or a tensor shaped like images). */
export function eraseBoxes(images: tf.Tensor4D, boxes: readonly (readonly PixelBox[])[], fill: number | tf.Tensor4D): tf.Tensor4D {
  const [, height, width, channels] = images.shape;
  return tf.tidy(() => {
    const mask = tf.tile(boxMask(boxes, height, width), [1, 1, 1, channels]);
    const value = typeof fill === 'number' ? tf.fill(images.shape, fill) : fill;
    return tf.where(mask, value, images) as tf.Tensor4D;
  });
}
