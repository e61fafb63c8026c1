import type { ImageSet } from '@frugal/core';
import { evenlySpaced } from './evenly-spaced.js';

/** The classes of the rotation task: how far each image was turned. */
export const ROTATIONS = ['0°', '90°', '180°', '270°'] as const;

/** Offset of pixel (r, c) of the square image turned by `quarter` quarter turns, in the source image. */
function sourceOffset(size: number, quarter: number, r: number, c: number): number {
  switch (quarter) {
    case 1:
      return c * size + (size - 1 - r);
    case 2:
      return (size - 1 - r) * size + (size - 1 - c);
    case 3:
      return (size - 1 - c) * size + r;
    default:
      return r * size + c;
  }
}

/**
 * Square images one after another (uint8 HWC, `shape` each), image `i` turned by `quarters[i]`
 * quarter turns, every channel alike.
 */
export function turnedImages(pixels: Uint8Array, shape: ImageSet['shape'], quarters: ArrayLike<number>): Uint8Array {
  const [h, w, ch] = shape;
  if (h !== w) throw new Error(`turnedImages needs square images, got ${h}×${w}`);
  const size = h * w * ch;
  const out = new Uint8Array(quarters.length * size);
  for (let i = 0; i < quarters.length; i++) {
    const src = pixels.subarray(i * size, (i + 1) * size);
    const quarter = quarters[i] as number;
    for (let r = 0; r < h; r++) {
      for (let c = 0; c < w; c++) {
        const from = sourceOffset(h, quarter, r, c) * ch;
        const to = i * size + (r * w + c) * ch;
        for (let k = 0; k < ch; k++) out[to + k] = src[from + k] as number;
      }
    }
  }
  return out;
}

/**
 * The self-supervised rotation task (Gidaris et al. 2018, "RotNet") of a set in memory: up to
 * `count` images of `images`, evenly spaced through the set, each in its four rotations, labelled
 * by the rotation; their own labels are not read. A network that learns which way up an image is
 * learns its strokes, shapes and parts on the way: features a new head can use with few labels.
 */
export function rotatedImages(images: ImageSet, count: number): ImageSet {
  const picked = evenlySpaced(images.labels.length, count);
  const [h, w, ch] = images.shape;
  const size = h * w * ch;
  const repeated = new Uint8Array(picked.length * 4 * size);
  picked.forEach((j, i) => {
    for (let q = 0; q < 4; q++) repeated.set(images.pixels.subarray(j * size, (j + 1) * size), (i * 4 + q) * size);
  });
  const labels = Int32Array.from({ length: picked.length * 4 }, (_, k) => k % 4);
  return { shape: images.shape, pixels: turnedImages(repeated, images.shape, labels), labels, classNames: [...ROTATIONS] };
}
