import { existsSync } from 'node:fs';
import { readdir, realpath } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve, sep } from 'node:path';
import type { Augmentation } from '@frugal/core';
import { FrugalInputError, isInputError, Rng } from '@frugal/core';
import * as tf from '@tensorflow/tfjs-core';
import { isImageFile, readRgb, rgbToBatch, toRgbBytes, writeRgb, type RgbImage } from './image-io.js';

export interface ExpandFolderOptions {
  /** Folder of images (class subfolders are kept); never written to. */
  readonly source: string;
  /** New folder for the copies; must lie outside `source`, and be empty unless `overwrite`. */
  readonly target: string;
  /** Augmented copies written per image. */
  readonly copies: number;
  readonly augmentation: Augmentation;
  /** Each image draws from `rng.child(<its path in source>)`, so a file's copies do not depend on the others. */
  readonly rng?: Rng;
  /** Seed of `rng` when none is given. */
  readonly seed?: number | string;
  /** Also copy each original (re-encoded) next to its copies. */
  readonly includeOriginals?: boolean;
  /** Write into a non-empty target, replacing files of the same name. */
  readonly overwrite?: boolean;
  /** Skip unreadable images (listed in the result) instead of stopping. */
  readonly skipBadImages?: boolean;
  readonly onProgress?: (done: number, total: number, file: string) => void;
}

export interface ExpandFolderResult {
  /** Source images read. */
  readonly images: number;
  /** Files written, as paths inside `target`. */
  readonly written: string[];
  readonly skipped: { file: string; reason: string }[];
}

async function listImages(root: string, dir = root): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listImages(root, path)));
    else if (entry.isFile() && isImageFile(entry.name)) out.push(relative(root, path));
  }
  return out;
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
async function realPathOf(path: string): Promise<string> {
  const absolute = resolve(path);
  if (existsSync(absolute)) return realpath(absolute);
  const parent = dirname(absolute);
  if (parent === absolute) return absolute;
  return join(await realPathOf(parent), basename(absolute));
}

function inside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(sep) ? parent : parent + sep);
}

async function checkFolders(options: ExpandFolderOptions): Promise<{ source: string; target: string }> {
  if (!existsSync(options.source)) throw new FrugalInputError(`Source folder "${options.source}" does not exist`);
  const source = await realPathOf(options.source);
  const target = await realPathOf(options.target);
  if (inside(target, source) || inside(source, target)) {
    throw new FrugalInputError(
      `Target folder "${options.target}" overlaps the source folder "${options.source}"; ` +
        `choose a target outside the source so the source is never touched (e.g. "${options.source.replace(/\/+$/, '')}-augmented")`,
    );
  }
  if (existsSync(target) && (await readdir(target)).length > 0 && !options.overwrite) {
    throw new FrugalInputError(`Target folder "${options.target}" is not empty; choose a new folder or pass overwrite: true`);
  }
  return { source, target };
}

/**
 * Offline expansion: writes `copies` augmented versions of every image under `source` into
 * `target`, mirroring its subfolders, as `<name>_aug<k>.<ext>` in the source's format.
 * The source folder is only read.
 */
export async function expandFolder(options: ExpandFolderOptions): Promise<ExpandFolderResult> {
  if (!Number.isInteger(options.copies) || options.copies < 1) {
    throw new FrugalInputError(`copies: got ${options.copies}; expected a whole number >= 1`);
  }
  if (options.augmentation.applyBatch) {
    throw new FrugalInputError(
      `"${options.augmentation.name}" mixes images of a batch with their labels (MixUp, CutMix); ` +
        `offline expansion augments one image at a time, so leave batch-level ops out of its pipeline`,
    );
  }
  const { source, target } = await checkFolders(options);
  const rng = options.rng ?? new Rng(options.seed ?? 0);
  const files = await listImages(source);
  const written: string[] = [];
  const skipped: { file: string; reason: string }[] = [];
  let done = 0;
  for (const file of files) {
    let image;
    try {
      image = await readRgb(join(source, file), file);
    } catch (error) {
      if (!options.skipBadImages || !isInputError(error)) throw error;
      skipped.push({ file, reason: error.message });
      continue;
    }
    const ext = extname(file);
    const stem = file.slice(0, file.length - ext.length);
    const outputs: { name: string; image: RgbImage }[] = [];
    if (options.includeOriginals) outputs.push({ name: file, image });
    const batch = rgbToBatch(image, options.copies);
    const augmented = options.augmentation.apply(batch, rng.child(file.split(sep).join('/')));
    batch.dispose();
    const [, height, width] = augmented.shape;
    for (let k = 0; k < options.copies; k++) {
      const one = tf.tidy(() => tf.squeeze(tf.slice(augmented, [k, 0, 0, 0], [1, -1, -1, -1]), [0]) as tf.Tensor3D);
      outputs.push({ name: `${stem}_aug${k + 1}${ext}`, image: { width, height, pixels: toRgbBytes(one) } });
      one.dispose();
    }
    augmented.dispose();
    for (const out of outputs) {
      await writeRgb(join(target, out.name), out.image, options);
      written.push(out.name);
    }
    done++;
    options.onProgress?.(done, files.length, file);
  }
  return { images: done, written, skipped };
}
