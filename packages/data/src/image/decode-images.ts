import { stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FrugalInputError } from '@frugal/core';
import { decodeImage, ImageDecodeError } from './decode-image.js';
import { decodeParamsKey, type DecodeParams } from './decode-options.js';
import type { DiskImageCache } from './disk-image-cache.js';
import { mapConcurrent } from './map-concurrent.js';
import type { ImageCache } from '@frugal/core';
import { imageCacheKey } from './memory-image-cache.js';

/** An image left out with `skipBadImages`, and the decoder's reason. */
export interface SkippedImage {
  readonly file: string;
  readonly reason: string;
}

/** Where the pixels of a load came from. */
export interface DecodeStats {
  decoded: number;
  memoryHits: number;
  diskHits: number;
}

export interface DecodeImagesOptions {
  /** Images decoded at once (default: the number of CPU cores, at least 4). */
  concurrency?: number;
  memoryCache?: ImageCache;
  diskCache?: DiskImageCache;
  /** Leave unreadable images out (with a warning each) instead of failing. */
  skipBadImages?: boolean;
  /** Receives warnings (default `console.warn`). */
  log?: (message: string) => void;
}

export interface DecodedImages {
  /** The kept images, one after another, each `height × width × channels`. */
  readonly pixels: Uint8Array;
  /** Indices (into the file list) of the images kept, ascending. */
  readonly kept: number[];
  readonly skipped: SkippedImage[];
  readonly stats: DecodeStats;
}

interface Failure {
  readonly index: number;
  reason: string;
  readonly key: string | undefined;
}

function reasonOf(error: unknown): string {
  return error instanceof ImageDecodeError ? error.reason : error instanceof Error ? error.message : String(error);
}

export function defaultConcurrency(): number {
  return Math.max(4, os.availableParallelism());
}

/**
 * Decodes `files` into one buffer, in order, with at most `concurrency` decodes in flight, reading
 * from and filling the caches. `names[i]` is how file i is named in messages.
 */
export async function decodeImages(
  files: readonly string[],
  names: readonly string[],
  params: DecodeParams,
  options: DecodeImagesOptions = {},
  retried = false,
): Promise<DecodedImages> {
  const log = options.log ?? ((message: string) => console.warn(message));
  const imageSize = params.height * params.width * params.channels;
  const pixels = new Uint8Array(files.length * imageSize);
  const ok = new Uint8Array(files.length);
  const failed: Failure[] = [];
  const stats: DecodeStats = { decoded: 0, memoryHits: 0, diskHits: 0 };
  const { memoryCache, diskCache } = options;
  const paramsKey = decodeParamsKey(params);
  const writes: Promise<void>[] = [];
  let writeFailure: unknown;

  const store = (index: number, decoded: Uint8Array, key: string | undefined): void => {
    pixels.set(decoded, index * imageSize);
    stats.decoded++;
    ok[index] = 1;
    if (key !== undefined) {
      memoryCache?.set(key, decoded);
      if (diskCache) writes.push(diskCache.write(key, decoded).catch((error: unknown) => void (writeFailure ??= error)));
    }
  };

  const readOne = async (file: string, index: number): Promise<void> => {
    let key: string | undefined;
    try {
      if (memoryCache || diskCache) {
        const info = await stat(file);
        key = imageCacheKey(path.resolve(file), info.size, info.mtimeMs, paramsKey);
        const inMemory = memoryCache?.get(key);
        if (inMemory) {
          pixels.set(inMemory, index * imageSize);
          stats.memoryHits++;
          ok[index] = 1;
          return;
        }
        const onDisk = await diskCache?.read(key, imageSize);
        if (onDisk) {
          pixels.set(onDisk, index * imageSize);
          memoryCache?.set(key, onDisk);
          stats.diskHits++;
          ok[index] = 1;
          return;
        }
      }
      store(index, await decodeImage(file, params), key);
    } catch (error) {
      failed.push({ index, reason: reasonOf(error), key });
      if (!options.skipBadImages) throw error;
    }
  };

  /**
   * libvips keeps one error buffer for all threads, so a message read while other images decode
   * may be another file's or a generic one. Failed files are decoded again one at a time, once
   * nothing else runs, for their own reason (or their pixels, if the failure was transient).
   */
  const diagnose = async (failure: Failure): Promise<boolean> => {
    try {
      store(failure.index, await decodeImage(files[failure.index] as string, params), failure.key);
      return true;
    } catch (error) {
      failure.reason = reasonOf(error);
      return false;
    }
  };

  try {
    await mapConcurrent(files, options.concurrency ?? defaultConcurrency(), readOne);
  } catch (error) {
    // Every file before a failed one was started, so the lowest failed index is the first bad file.
    failed.sort((a, b) => a.index - b.index);
    const first = failed[0];
    if (!first) throw error;
    const decodedAlone = await diagnose(first);
    if (retried || !decodedAlone) {
      throw new FrugalInputError(
        `Image "${names[first.index]}" could not be decoded (${first.reason}); remove it or set skipBadImages: true in the dataset's params`,
      );
    }
    // It decoded on the second try: carry on with the rest, one failure at a time.
    return decodeImages(files, names, params, options, true);
  }
  failed.sort((a, b) => a.index - b.index);
  const stillBad: Failure[] = [];
  for (const failure of failed) {
    if (!(await diagnose(failure))) {
      stillBad.push(failure);
      log(`Skipping image "${names[failure.index]}": it could not be decoded (${failure.reason})`);
    }
  }
  await Promise.all(writes);
  if (writeFailure && diskCache) {
    log(`Could not write to the decoded-image cache "${diskCache.dir}" (${String(writeFailure)}); images will be decoded again next time`);
  }

  const kept: number[] = [];
  for (let i = 0; i < files.length; i++) if (ok[i]) kept.push(i);
  let out = pixels;
  if (kept.length !== files.length) {
    out = new Uint8Array(kept.length * imageSize);
    kept.forEach((from, to) => out.set(pixels.subarray(from * imageSize, (from + 1) * imageSize), to * imageSize));
  }
  return {
    pixels: out,
    kept,
    skipped: stillBad.map(({ index, reason }) => ({ file: names[index] as string, reason })),
    stats,
  };
}
