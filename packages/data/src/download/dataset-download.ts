import path from 'node:path';
import { z } from 'zod';
import { defaultCacheDir } from '../cache-dir.js';

/** Where a published dataset is found or downloaded to: what its loader takes besides its own `dir`. */
export interface DatasetDownloadOptions {
  /** Where downloads go (in a sub-folder named after the dataset); default `<cache dir>/datasets`. */
  cacheDir?: string;
  /** Download what is not found locally (default true). */
  download?: boolean;
  /** Base URLs to download from instead of the dataset's mirrors. */
  mirrors?: readonly string[];
  /** Show a progress bar while downloading (default: when stderr is a terminal). */
  progress?: boolean;
  log?: (message: string) => void;
  signal?: AbortSignal;
}

/** The download cache folder of the dataset `name`. */
export function datasetCacheDir(name: string, cacheDir?: string): string {
  return path.join(cacheDir ? path.resolve(cacheDir) : path.join(defaultCacheDir(), 'datasets'), name);
}

/** The URLs of `file` on each mirror (a base URL, with or without its final `/`), in order. */
export function mirrorUrls(mirrors: readonly string[], file: string): string[] {
  return mirrors.map((base) => new URL(file, base.endsWith('/') ? base : `${base}/`).toString());
}

/** The recipe parameters of a published dataset's source: `dir` (described by `dirIs`), the cache, downloads and mirrors. */
export function datasetDownloadParams(dirIs: string) {
  return z.strictObject({
    dir: z.string().min(1).optional().describe(dirIs),
    cacheDir: z.string().min(1).optional().describe('where downloads go'),
    download: z.boolean().default(true),
    mirrors: z.array(z.url()).min(1).optional(),
  });
}
