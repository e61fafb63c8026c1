import { decodeImage, ImageDecodeError } from '../image/decode-image.js';
import { DiskImageCache } from '../image/disk-image-cache.js';
import { mapConcurrent } from '../image/map-concurrent.js';
import { imageCacheKey } from '../image/memory-image-cache.js';
import type { DecodeBatchResult, DecodeBatchTask } from './decode-batch-task.js';
import { entryFile } from './manifest-entry.js';

/** Decodes at once inside one thread (sharp's own threads do the work). */
const IN_FLIGHT = 4;

const caches = new Map<string, DiskImageCache>();

function reasonOf(error: unknown): string {
  return error instanceof ImageDecodeError ? error.reason : error instanceof Error ? error.message : String(error);
}

/**
 * Runs in a decoding thread: decodes one batch of a manifest into one buffer. It imports no other
 * Frugal package, so the thread loads only sharp and this package's decoding code.
 */
export default async function decodeBatch(task: DecodeBatchTask): Promise<DecodeBatchResult> {
  const { root, entries, params } = task;
  const imageSize = params.height * params.width * params.channels;
  const pixels = new Uint8Array(entries.length * imageSize);
  const ok = new Uint8Array(entries.length);
  const failed: number[] = [];
  let cacheHits = 0;
  let cache: DiskImageCache | undefined;
  if (task.cacheDir) {
    cache = caches.get(task.cacheDir) ?? new DiskImageCache(task.cacheDir);
    caches.set(task.cacheDir, cache);
  }
  const { paramsKey } = task;
  const keyOf = (i: number) => {
    const entry = entries[i]!;
    return imageCacheKey(entryFile(root, entry), entry.size, entry.mtimeMs, paramsKey);
  };
  const decodeOne = async (i: number): Promise<void> => {
    const decoded = await decodeImage(entryFile(root, entries[i]!), params);
    pixels.set(decoded, i * imageSize);
    ok[i] = 1;
    // A cache that cannot be written only costs a decode next time.
    if (cache) await cache.write(keyOf(i), decoded).catch(() => undefined);
  };
  await mapConcurrent(entries, IN_FLIGHT, async (_entry, i) => {
    try {
      const cached = cache ? await cache.read(keyOf(i), imageSize) : undefined;
      if (cached) {
        pixels.set(cached, i * imageSize);
        ok[i] = 1;
        cacheHits++;
        return;
      }
      await decodeOne(i);
    } catch {
      failed.push(i);
    }
  });
  // libvips keeps one error buffer for all threads: a failed file is decoded again alone, for its
  // own reason (or its pixels, if the failure was transient).
  const failures: { index: number; reason: string }[] = [];
  for (const i of failed.sort((a, b) => a - b)) {
    try {
      await decodeOne(i);
    } catch (error) {
      failures.push({ index: i, reason: reasonOf(error) });
    }
  }
  // Structured clone copies the buffer once (well under a millisecond for a batch of small images).
  return { pixels, ok, failures, cacheHits };
}
