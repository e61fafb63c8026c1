import path from 'node:path';
import { FrugalInputError, type ImageSet } from '@frugal/core';
import { byCodeUnits } from './image-extensions.js';
import type { SkippedImage } from './decode-images.js';
import { decodeParams } from './decode-options.js';
import { labelsFileNames, readLabelsFile } from './labels-file.js';
import { readImageManifest, type ImageManifest } from '../stream/image-manifest.js';
import { decodeListed, type ImageFolderOptions } from './load-image-folder.js';

/** A folder whose labelled images a labels file names: those images, decoded, and the rest of the folder, listed. */
export interface LabelledByFile {
  readonly images: ImageSet;
  readonly skipped: SkippedImage[];
  /** The folder's images the file does not name: its unlabelled images (none decoded). */
  readonly rest: ImageManifest;
  /** The images the file names (paths within the folder). */
  readonly named: ReadonlySet<string>;
}

/**
 * Loads the images of `dir` (any layout) that the labels file(s) `labels` name, with their classes
 * (`classNames`, or every class the file names in code-unit order); the folder's other images are
 * returned as a manifest, to be read as unlabelled images. A row naming an image the folder does
 * not hold, or a class outside `classNames`, is refused with its line.
 */
export async function loadLabelledByFile(
  dir: string,
  /** A labels file, or several read as one. */
  labels: string | readonly string[],
  options: ImageFolderOptions,
  /** Whether every class of `classNames` must have an image (a training set), or some may have none (a test set). */
  everyClass = true,
): Promise<LabelledByFile> {
  const rows = await readLabelsFile(labels);
  const manifest = await readImageManifest(dir, { what: 'Image folder' });
  const inFolder = new Set(manifest.entries.map((entry) => entry.path));
  for (const row of rows) {
    if (!inFolder.has(row.file)) throw new FrugalInputError(`${row.where}: "${row.file}" is not an image in "${dir}"; name each image by its path within the folder`);
  }
  const named = [...new Set(rows.map((row) => row.class))].sort(byCodeUnits);
  const classNames = options.classNames ? [...options.classNames] : named;
  const label = new Map(classNames.map((name, i) => [name, i]));
  for (const row of rows) {
    if (!label.has(row.class)) throw new FrugalInputError(`${row.where}: class "${row.class}" is not one of classNames (${classNames.join(', ')}); add it there or correct the line`);
  }
  const unused = classNames.filter((name) => !named.includes(name));
  if (everyClass && unused.length) throw new FrugalInputError(`${labelsFileNames(labels)} label${typeof labels === 'string' ? 's' : ''} no image ${unused.map((c) => `"${c}"`).join(', ')}; label some, or leave the class out of classNames`);
  // The labelled images in the folder's order, so that a seed splits them the same on every machine.
  const classOf = new Map(rows.map((row) => [row.file, label.get(row.class) as number]));
  const listed = manifest.entries.filter((entry) => classOf.has(entry.path));
  const files = listed.map((entry) => path.join(manifest.root, ...entry.path.split('/')));
  const params = decodeParams(options);
  const decoded = await decodeListed(dir, manifest.root, files, params, options);
  return {
    images: {
      shape: [params.height, params.width, params.channels],
      pixels: decoded.pixels,
      labels: Int32Array.from(decoded.kept, (i) => classOf.get((listed[i] as { path: string }).path) as number),
      classNames,
      origins: decoded.kept.map((i) => path.join(dir, path.relative(manifest.root, files[i] as string))),
    },
    skipped: decoded.skipped,
    rest: { root: manifest.root, entries: manifest.entries.filter((entry) => !classOf.has(entry.path)), ignored: manifest.ignored },
    named: new Set(classOf.keys()),
  };
}
