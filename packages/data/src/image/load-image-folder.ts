import path from 'node:path';
import { FrugalInputError, type ImageCache, type ImageSet } from '@frugal/core';
import { defaultCacheDir, isInside } from '../cache-dir.js';
import { decodeImages, type DecodedImages, type DecodeImagesOptions, type DecodeStats, type SkippedImage } from './decode-images.js';
import { decodeParams, type DecodeOptions, type DecodeParams } from './decode-options.js';
import { DiskImageCache } from './disk-image-cache.js';
import { ignoredNotice, listClassFolders, listImages } from './list-images.js';

export interface ImageFolderOptions extends DecodeOptions {
  /** Class names in the order wanted (each a folder under the root); default: every folder, sorted. */
  classNames?: readonly string[];
  /** Images decoded at once (default: the number of CPU cores, at least 4). */
  concurrency?: number;
  /** Decoded pixels kept in memory between loads (e.g. the plugin's cache). */
  memoryCache?: ImageCache;
  /**
   * Keep decoded pixels on disk for the next run: `true` for `<cache dir>/decoded`, or a folder.
   * Never inside the image folder.
   */
  diskCache?: boolean | string;
  /** Leave unreadable images out, with a warning and a count, instead of failing. */
  skipBadImages?: boolean;
  /** Receives notices and warnings (default `console.warn`). */
  log?: (message: string) => void;
}

/** The result of loading a folder. */
export interface LoadedImages {
  readonly images: ImageSet;
  /** Unreadable images left out (with `skipBadImages`). */
  readonly skipped: SkippedImage[];
  /** Files that are not images by name, relative to the folder. */
  readonly ignored: string[];
  readonly stats: DecodeStats;
}

function diskCacheFor(option: boolean | string | undefined, dataDir: string): DiskImageCache | undefined {
  if (!option) return undefined;
  const dir = option === true ? path.join(defaultCacheDir(), 'decoded') : path.resolve(option);
  if (isInside(dir, dataDir)) {
    throw new FrugalInputError(
      `diskCache: "${dir}" is inside the image folder "${dataDir}"; Frugal writes nothing into data folders. ` +
        `Choose a folder elsewhere (or true for ${path.join(defaultCacheDir(), 'decoded')})`,
    );
  }
  return new DiskImageCache(dir);
}

/** Decodes `files` (absolute paths under `root`), named in messages by their path under `dir`. */
export async function decodeListed(
  dir: string,
  root: string,
  files: readonly string[],
  params: DecodeParams,
  options: ImageFolderOptions,
): Promise<DecodedImages> {
  const names = files.map((file) => path.join(dir, path.relative(root, file)));
  const run: DecodeImagesOptions = {
    concurrency: options.concurrency,
    memoryCache: options.memoryCache,
    diskCache: diskCacheFor(options.diskCache, root),
    skipBadImages: options.skipBadImages,
    log: options.log,
  };
  return decodeImages(files, names, params, run);
}

function notify(options: ImageFolderOptions, message: string | undefined): void {
  if (message) (options.log ?? ((m: string) => console.warn(m)))(message);
}

/**
 * Loads `dir/<class>/<image>` into an image set: class names from the folder names (code-unit
 * order, or `classNames`), images decoded by sharp in parallel, resized and converted as asked.
 */
export async function loadImageFolder(dir: string, options: ImageFolderOptions): Promise<LoadedImages> {
  const params = decodeParams(options);
  const listing = await listClassFolders(dir, options.classNames);
  notify(options, ignoredNotice(dir, listing.ignored));
  const decoded = await decodeListed(dir, listing.root, listing.files, params, options);
  const labels = Int32Array.from(decoded.kept, (i) => listing.labels[i] as number);
  const counts = new Array<number>(listing.classNames.length).fill(0);
  for (const y of labels) counts[y] = (counts[y] as number) + 1;
  const empty = listing.classNames.filter((_, y) => counts[y] === 0);
  if (empty.length) {
    throw new FrugalInputError(
      `Class folder${empty.length > 1 ? 's' : ''} ${empty.map((c) => `"${path.join(dir, c)}"`).join(', ')} ` +
        `ha${empty.length > 1 ? 've' : 's'} no readable images (all were skipped as unreadable); add images or remove the folder`,
    );
  }
  const names = listing.files.map((file) => path.join(dir, path.relative(listing.root, file)));
  return {
    images: {
      shape: [params.height, params.width, params.channels],
      pixels: decoded.pixels,
      labels,
      classNames: listing.classNames,
      origins: decoded.kept.map((i) => names[i] as string),
    },
    skipped: decoded.skipped,
    ignored: listing.ignored,
    stats: decoded.stats,
  };
}

/**
 * Loads every image under `dir` (flat or a tree) as unlabelled images (labels -1), for the
 * semi-supervised strategies. `classNames` (optional) are those of the labelled data it goes with.
 */
export async function loadUnlabelledFolder(
  dir: string,
  options: Omit<ImageFolderOptions, 'classNames'> & { classNames?: readonly string[] },
): Promise<LoadedImages> {
  const listing = await listImages(dir, 'Unlabelled image folder');
  if (listing.files.length === 0) {
    throw new FrugalInputError(`Unlabelled image folder "${dir}" has no images; add images or remove it from the recipe`);
  }
  notify(options, ignoredNotice(dir, listing.ignored));
  return { ...(await loadUnlabelledFiles(dir, listing.files, options)), ignored: listing.ignored };
}

/**
 * Loads `files` (absolute paths of images under `dir`) as unlabelled images (labels -1), in the
 * order given: what `loadUnlabelledFolder` does once the folder is listed.
 */
export async function loadUnlabelledFiles(
  dir: string,
  files: readonly string[],
  options: Omit<ImageFolderOptions, 'classNames'> & { classNames?: readonly string[] },
): Promise<Omit<LoadedImages, 'ignored'>> {
  const params = decodeParams(options);
  const root = path.resolve(dir);
  const decoded = await decodeListed(dir, root, files, params, options);
  if (decoded.kept.length === 0) {
    throw new FrugalInputError(`Unlabelled image folder "${dir}" has no readable images (all ${files.length} were skipped)`);
  }
  return {
    images: {
      shape: [params.height, params.width, params.channels],
      pixels: decoded.pixels,
      labels: new Int32Array(decoded.kept.length).fill(-1),
      classNames: [...(options.classNames ?? [])],
      origins: decoded.kept.map((i) => path.join(dir, path.relative(root, files[i] as string))),
    },
    skipped: decoded.skipped,
    stats: decoded.stats,
  };
}
