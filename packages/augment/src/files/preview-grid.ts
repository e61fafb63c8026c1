import { dirname } from 'node:path';
import type { Augmentation, Rng } from '@frugal/core';
import { FrugalInputError, makeDir } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { toRgbBytes } from './image-io.js';

export interface PreviewGridOptions {
  /** The N images of the rows, `[N, h, w, c]` floats in [0, 1] (c = 1 or 3). */
  readonly images: tf.Tensor4D;
  readonly augmentation: Augmentation;
  /** Augmented versions per image (columns after the original). */
  readonly versions?: number;
  readonly rng: Rng;
  /** PNG file to write (folders are created). */
  readonly file: string;
  /** Whole-number upscaling (nearest neighbour); default: enough to make cells about 96 px. */
  readonly scale?: number;
  /** Pixels between cells (before scaling). */
  readonly gap?: number;
  /** Put the original image in the first column. */
  readonly includeOriginal?: boolean;
}

export interface PreviewGridResult {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly rows: number;
  readonly columns: number;
}

/**
 * A PNG grid: one row per image, the original then `versions` augmented versions (each version
 * one batched call, every sample drawing its own parameters), written with sharp.
 */
export async function previewGrid(options: PreviewGridOptions): Promise<PreviewGridResult> {
  const { images, augmentation, rng } = options;
  const versions = options.versions ?? 8;
  if (!Number.isInteger(versions) || versions < 1) throw new FrugalInputError(`versions: got ${versions}; expected a whole number >= 1`);
  const [rows, cellH, cellW] = images.shape;
  if (rows < 1) throw new FrugalInputError('previewGrid: no images to show');
  const gap = options.gap ?? 2;
  const scale = options.scale ?? Math.max(1, Math.min(8, Math.round(96 / Math.max(cellH, cellW))));
  const cells: tf.Tensor4D[] = options.includeOriginal === false ? [] : [images];
  try {
    for (let v = 0; v < versions; v++) {
      const out = augmentation.apply(images, rng);
      cells.push(out);
      if (out.shape[1] !== cellH || out.shape[2] !== cellW) {
        throw new FrugalInputError(`previewGrid: "${augmentation.name}" changes the image size; preview ops that keep it`);
      }
    }
  } catch (error) {
    for (const cell of cells) if (cell !== images) cell.dispose();
    throw error;
  }
  const columns = cells.length;
  const width = columns * cellW + (columns + 1) * gap;
  const height = rows * cellH + (rows + 1) * gap;
  const canvas = new Uint8Array(width * height * 3).fill(255);
  cells.forEach((batch, column) => {
    for (let row = 0; row < rows; row++) {
      const image = tf.tidy(() => tf.squeeze(tf.slice(batch, [row, 0, 0, 0], [1, -1, -1, -1]), [0]) as tf.Tensor3D);
      const bytes = toRgbBytes(image);
      image.dispose();
      const left = gap + column * (cellW + gap);
      const top = gap + row * (cellH + gap);
      for (let y = 0; y < cellH; y++) canvas.set(bytes.subarray(y * cellW * 3, (y + 1) * cellW * 3), ((top + y) * width + left) * 3);
    }
    if (batch !== images) batch.dispose();
  });
  await makeDir(dirname(options.file));
  const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
  await sharp(canvas, { raw: { width, height, channels: 3 } })
    .resize(width * scale, height * scale, { kernel: 'nearest' })
    .png()
    .toFile(options.file);
  return { file: options.file, width: width * scale, height: height * scale, rows, columns };
}
