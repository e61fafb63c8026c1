import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';

/** A fresh temporary folder; `remove()` deletes it. */
export async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), `frugal-data-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

export type Rgb = readonly [number, number, number];

export interface ImageSpec {
  width: number;
  height: number;
  /** One colour for the whole image, or a colour per pixel (x, y). */
  color: Rgb | ((x: number, y: number) => Rgb);
  /** Adds an alpha channel (half transparent). */
  alpha?: boolean;
  /** EXIF orientation tag (1..8). */
  orientation?: number;
}

/** Raw RGB(A) pixels for a spec. */
export function rawPixels(spec: ImageSpec): Buffer {
  const channels = spec.alpha ? 4 : 3;
  const out = Buffer.alloc(spec.width * spec.height * channels);
  for (let y = 0; y < spec.height; y++) {
    for (let x = 0; x < spec.width; x++) {
      const rgb = typeof spec.color === 'function' ? spec.color(x, y) : spec.color;
      const at = (y * spec.width + x) * channels;
      out[at] = rgb[0];
      out[at + 1] = rgb[1];
      out[at + 2] = rgb[2];
      if (spec.alpha) out[at + 3] = 128;
    }
  }
  return out;
}

/** Writes a real image file with sharp; the format follows the extension. */
export async function writeImage(file: string, spec: ImageSpec): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  let image = sharp(rawPixels(spec), { raw: { width: spec.width, height: spec.height, channels: spec.alpha ? 4 : 3 } });
  if (spec.orientation) image = image.withMetadata({ orientation: spec.orientation });
  const ext = path.extname(file).toLowerCase();
  if (ext === '.jpg' || ext === '.jpeg') image = image.jpeg({ quality: 95 });
  else if (ext === '.png') image = image.png();
  else if (ext === '.webp') image = image.webp({ lossless: true });
  else if (ext === '.gif') image = image.gif();
  else if (ext === '.tif' || ext === '.tiff') image = image.tiff();
  else if (ext === '.avif') image = image.avif({ lossless: true });
  else throw new Error(`no encoder for ${ext}`);
  await image.toFile(file);
}

/** Every file under `dir` with its size and mtime, to show that nothing was written there. */
export async function snapshotTree(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      const full = path.join(at, entry.name);
      if (entry.isDirectory()) {
        out.push(`${path.relative(dir, full)}/`);
        await walk(full);
      } else {
        const info = await stat(full);
        out.push(`${path.relative(dir, full)} ${info.size} ${info.mtimeMs}`);
      }
    }
  };
  await walk(dir);
  return out.sort();
}

/** The pixel (x, y) of image `index` of a uint8 HWC buffer. */
export function pixelAt(pixels: Uint8Array, shape: readonly [number, number, number], index: number, x: number, y: number): number[] {
  const [h, w, c] = shape;
  const at = index * h * w * c + (y * w + x) * c;
  return Array.from(pixels.subarray(at, at + c));
}

/** Whether two colours are within `tolerance` on every channel. */
export function near(actual: readonly number[], expected: readonly number[], tolerance = 8): boolean {
  return actual.length === expected.length && actual.every((v, i) => Math.abs(v - (expected[i] as number)) <= tolerance);
}
