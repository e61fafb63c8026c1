import * as tf from '@tensorflow/tfjs-core';
import { augmentBatch, imageBatch, indicesByClass, prepareData, writeFileAtomic, type Frugal, type Recipe } from '@frugal/core';
import { PREVIEW_MARK } from './output-file.js';

/** The first `count` images taking the classes in turn: the first of each class, then the second of each, ... */
export function classesInTurn(labels: Int32Array, count: number): number[] {
  const lists = indicesByClass(labels).map((c) => c.indices);
  const total = Math.min(count, lists.reduce((n, list) => n + list.length, 0));
  const picked: number[] = [];
  for (let round = 0; picked.length < total; round++) {
    for (const list of lists) if (round < list.length && picked.length < count) picked.push(list[round] as number);
  }
  return picked;
}

/**
 * The recipe's augmentation pipeline on `images` training images, `versions` times each: a PNG
 * grid with the original in the first column, one row an image, the rows taking the classes in turn.
 */
export async function writeRecipePreview(
  frugal: Frugal,
  recipe: Recipe,
  file: string,
  options: { images?: number; versions?: number; scale?: number; log?: (message: string) => void } = {},
): Promise<string> {
  const n = options.images ?? 8;
  const k = options.versions ?? 6;
  const data = await prepareData(frugal, recipe, options.log);
  const set = data.labelled;
  const [h, w, c] = set.shape;
  const rows = classesInTurn(set.labels, n);
  const count = rows.length;
  const pipeline = frugal.augmentations.build(recipe.augment, 'augment');
  const rng = frugal.rng.child('preview');
  const columns: Float32Array[] = [];
  const originals = imageBatch(set, rows);
  columns.push(originals.dataSync() as Float32Array);
  for (let v = 0; v < k; v++) {
    const y = tf.zeros([count, data.classNames.length]) as tf.Tensor2D;
    const out = augmentBatch(pipeline, { x: originals, y }, rng.child(`version-${v}`));
    columns.push(tf.clipByValue(out.x, 0, 1).dataSync() as Float32Array);
    tf.dispose([y, out.x, out.y]);
  }
  originals.dispose();
  const scale = options.scale ?? Math.max(1, Math.round(96 / Math.max(h, w)));
  const gap = 2;
  const cellW = w * scale;
  const cellH = h * scale;
  const width = (k + 1) * (cellW + gap) + gap;
  const height = count * (cellH + gap) + gap;
  const canvas = new Uint8Array(width * height * 3).fill(255);
  columns.forEach((values, col) => {
    for (let i = 0; i < count; i++) {
      for (let y = 0; y < cellH; y++) {
        for (let x = 0; x < cellW; x++) {
          const src = ((i * h + Math.floor(y / scale)) * w + Math.floor(x / scale)) * c;
          const dst = ((gap + i * (cellH + gap) + y) * width + gap + col * (cellW + gap) + x) * 3;
          for (let ch = 0; ch < 3; ch++) canvas[dst + ch] = Math.round(255 * (values[src + (c === 1 ? 0 : ch)] as number));
        }
      }
    }
  });
  const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
  const png = await sharp(canvas, { raw: { width, height, channels: 3 } }).png().withExif({ IFD0: { Software: PREVIEW_MARK } }).toBuffer();
  await writeFileAtomic(file, png);
  return file;
}
