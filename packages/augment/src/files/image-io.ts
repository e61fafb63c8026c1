import { writeFile } from 'node:fs/promises';
import { dirname, extname } from 'node:path';
import { FrugalInputError, makeDir } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';

/** File extensions read as images, and the sharp format each is written back in. */
export const IMAGE_FORMATS: Readonly<Record<string, 'jpeg' | 'png' | 'webp' | 'tiff' | 'avif' | 'gif'>> = {
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.png': 'png',
  '.webp': 'webp',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.avif': 'avif',
  '.gif': 'gif',
};

export function isImageFile(file: string): boolean {
  return extname(file).toLowerCase() in IMAGE_FORMATS;
}

/** An 8-bit RGB image. */
export interface RgbImage {
  readonly width: number;
  readonly height: number;
  /** HWC, 3 channels. */
  readonly pixels: Uint8Array;
}

/** Decodes a file to 8-bit RGB, turned upright by its EXIF orientation, alpha dropped. */
export async function readRgb(file: string, displayName = file): Promise<RgbImage> {
  try {
    const { default: sharp } = await import('sharp'); // on first use: a command that touches no image starts without libvips
    const { data, info } = await sharp(file).rotate().removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    let pixels = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    if (info.channels === 1) pixels = Uint8Array.from({ length: pixels.length * 3 }, (_, i) => pixels[Math.floor(i / 3)] as number);
    else if (info.channels !== 3) throw new Error(`${info.channels} channels after conversion to RGB`);
    return { width: info.width, height: info.height, pixels };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FrugalInputError(`Image "${displayName}" could not be decoded (${reason}); remove it or pass skipBadImages`, { cause: error });
  }
}

/** An RGB image as a `[copies, h, w, 3]` float batch in [0, 1]. */
export function rgbToBatch(image: RgbImage, copies = 1): tf.Tensor4D {
  return tf.tidy(() => {
    const one = tf.div(tf.tensor4d(image.pixels, [1, image.height, image.width, 3], 'int32'), 255) as tf.Tensor4D;
    return copies === 1 ? one : (tf.tile(one, [copies, 1, 1, 1]) as tf.Tensor4D);
  });
}

/** A `[h, w, c]` float image in [0, 1] as 8-bit values (c = 1 is spread to RGB). */
export function toRgbBytes(image: tf.Tensor3D): Uint8Array {
  const [height, width, channels] = image.shape;
  const values = tf.tidy(() => tf.round(tf.mul(tf.clipByValue(image, 0, 1), 255)).dataSync());
  const out = new Uint8Array(height * width * 3);
  for (let p = 0; p < height * width; p++) {
    for (let c = 0; c < 3; c++) out[p * 3 + c] = values[p * channels + (channels === 1 ? 0 : c)] as number;
  }
  return out;
}

/** Encodes RGB bytes in the format of `file`'s extension and writes it (`wx`: never replaces a file). */
export async function writeRgb(file: string, image: RgbImage, options: { overwrite?: boolean } = {}): Promise<void> {
  const format = IMAGE_FORMATS[extname(file).toLowerCase()] ?? 'png';
  const { default: sharp } = await import('sharp');
  const encoded = await sharp(image.pixels, { raw: { width: image.width, height: image.height, channels: 3 } })
    .toFormat(format, format === 'jpeg' || format === 'webp' ? { quality: 95 } : {})
    .toBuffer();
  await makeDir(dirname(file));
  await writeFile(file, encoded, { flag: options.overwrite ? 'w' : 'wx' });
}
