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
 * The self-supervised rotation task (Gidaris et al. 2018, "RotNet"): up to `count` images of
 * `images`, evenly spaced through the set, each in its four rotations, labelled by the rotation;
 * their own labels are not read. A network that learns which way up an image is learns its
 * strokes, shapes and parts on the way: features a new head can use with few labels.
 */
export function rotatedImages(images: ImageSet, count: number): ImageSet {
  const [h, w, ch] = images.shape;
  if (h !== w) throw new Error(`rotatedImages needs square images, got ${h}×${w}`);
  const picked = evenlySpaced(images.labels.length, count);
  const n = picked.length;
  const size = h * w * ch;
  const pixels = new Uint8Array(n * 4 * size);
  const labels = new Int32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const j = picked[i] as number;
    const src = images.pixels.subarray(j * size, (j + 1) * size);
    for (let q = 0; q < 4; q++) {
      const out = (i * 4 + q) * size;
      for (let r = 0; r < h; r++) {
        for (let c = 0; c < w; c++) {
          const from = sourceOffset(h, q, r, c) * ch;
          const to = out + (r * w + c) * ch;
          for (let k = 0; k < ch; k++) pixels[to + k] = src[from + k] as number;
        }
      }
      labels[i * 4 + q] = q;
    }
  }
  return { shape: images.shape, pixels, labels, classNames: [...ROTATIONS] };
}
