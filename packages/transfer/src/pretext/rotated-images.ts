import type { FrugalPlugin, ImageSet } from '@frugal/core';
import { loadMnist } from '@frugal/data';
import { z } from 'zod';

const ANGLES = ['0°', '90°', '180°', '270°'];

/** Pixel (r, c) of the image rotated by `quarter` quarter turns, read from the square source. */
function rotated(src: Uint8Array, size: number, quarter: number, r: number, c: number): number {
  switch (quarter) {
    case 1:
      return src[c * size + (size - 1 - r)] as number;
    case 2:
      return src[(size - 1 - r) * size + (size - 1 - c)] as number;
    case 3:
      return src[(size - 1 - c) * size + r] as number;
    default:
      return src[r * size + c] as number;
  }
}

/**
 * A self-supervised source task for transfer learning (Gidaris et al. 2018, "RotNet"): every
 * image, without its label, in four rotations; the class is the rotation. A network
 * that learns to tell which way up a digit is learns strokes and shapes on the way — features a
 * new head can then use with only a few labels.
 */
export function rotationPretext(images: ImageSet, count: number): ImageSet {
  const [h, w, ch] = images.shape;
  if (h !== w || ch !== 1) throw new Error(`rotationPretext needs square single-channel images, got ${h}×${w}×${ch}`);
  const n = Math.min(count, images.labels.length);
  const size = h * w;
  const pixels = new Uint8Array(n * 4 * size);
  const labels = new Int32Array(n * 4);
  const total = images.labels.length;
  for (let i = 0; i < n; i++) {
    // Evenly spaced through the set, so that every class is represented whatever its order.
    const j = Math.floor((i * total) / n);
    const src = images.pixels.subarray(j * size, (j + 1) * size);
    for (let q = 0; q < 4; q++) {
      const out = (i * 4 + q) * size;
      for (let r = 0; r < h; r++) for (let c = 0; c < w; c++) pixels[out + r * w + c] = rotated(src, h, q, r, c);
      labels[i * 4 + q] = q;
    }
  }
  return { shape: images.shape, pixels, labels, classNames: ANGLES };
}

/** The `mnist-rotations` dataset: the embedded MNIST training digits as a rotation task, labels unused. */
export function demoDatasets(): FrugalPlugin {
  return {
    name: '@frugal/cli/demo',
    register(registry) {
      registry.dataset({
        name: 'mnist-rotations',
        description: 'Self-supervised source task: embedded MNIST training digits (labels unused) in 4 rotations; class = rotation',
        params: z.strictObject({ images: z.number().int().min(1).default(2000) }),
        factory: async ({ images }) => {
          const mnist = await loadMnist();
          const train = rotationPretext(mnist.train, images);
          return { name: 'mnist-rotations', train, classNames: train.classNames, normalization: mnist.normalization };
        },
      });
    },
  };
}
