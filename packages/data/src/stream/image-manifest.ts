import { stat } from 'node:fs/promises';
import path from 'node:path';
import { listImages } from '../image/list-images.js';
import { mapConcurrent } from '../image/map-concurrent.js';
import type { ManifestEntry } from './manifest-entry.js';

/**
 * The images of a folder as a list of files, never their pixels: what a stream of decoded batches
 * reads, and what a shard (a range of entries) names. Entries are in code-unit order of their
 * path, so every machine that sees the same files builds the same manifest.
 */
export interface ImageManifest {
  /** The folder, absolute. */
  readonly root: string;
  readonly entries: readonly ManifestEntry[];
  /** Files under the folder that are not images by name (relative paths). */
  readonly ignored: readonly string[];
}

/** Lists every image under `dir` (recursively) with its size and modification time. */
export async function readImageManifest(dir: string, options: { concurrency?: number; what?: string } = {}): Promise<ImageManifest> {
  const listing = await listImages(dir, options.what ?? 'Image folder');
  const root = path.resolve(dir);
  const entries = new Array<ManifestEntry>(listing.files.length);
  await mapConcurrent(listing.files, options.concurrency ?? 32, async (file, i) => {
    const info = await stat(file);
    entries[i] = { path: path.relative(root, file).split(path.sep).join('/'), size: info.size, mtimeMs: info.mtimeMs };
  });
  return { root, entries, ignored: listing.ignored };
}
