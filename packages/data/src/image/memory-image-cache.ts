/**
 * Decoded pixels kept in memory, least recently used first out once `maxBytes` is passed. Keys
 * name the file, its size and mtime and the decode parameters (see `imageCacheKey`), so a changed
 * file or other parameters never hit a stale entry.
 */
export class MemoryImageCache {
  private readonly entries = new Map<string, Uint8Array>();
  private total = 0;

  /** @param maxBytes memory the cache may hold (default 512 MiB). */
  constructor(readonly maxBytes = 512 * 1024 * 1024) {}

  get(key: string): Uint8Array | undefined {
    const pixels = this.entries.get(key);
    if (pixels) {
      this.entries.delete(key);
      this.entries.set(key, pixels);
    }
    return pixels;
  }

  set(key: string, pixels: Uint8Array): void {
    if (pixels.byteLength > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old) {
      this.total -= old.byteLength;
      this.entries.delete(key);
    }
    this.entries.set(key, pixels);
    this.total += pixels.byteLength;
    for (const [oldest, value] of this.entries) {
      if (this.total <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.total -= value.byteLength;
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get bytes(): number {
    return this.total;
  }

  clear(): void {
    this.entries.clear();
    this.total = 0;
  }
}

/** The cache key of one file decoded with some parameters. */
export function imageCacheKey(file: string, size: number, mtimeMs: number, paramsKey: string): string {
  return `${file}\u0000${size}\u0000${mtimeMs}\u0000${paramsKey}`;
}
