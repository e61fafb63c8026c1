import { createHash } from 'node:crypto';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeDir } from '@frugal/core';

const MAGIC = Buffer.from('FRPX\u0001\u0000\u0000\u0000', 'latin1');

/**
 * Decoded pixels on disk, one file per (image, size, mtime, decode parameters), named by the
 * SHA-256 of that key, so a second run does not decode again. Files are written atomically
 * (temporary name, then rename); a damaged or foreign entry reads as a miss.
 */
export class DiskImageCache {
  private ready: Promise<void> | undefined;

  constructor(readonly dir: string) {}

  private fileFor(key: string): string {
    return path.join(this.dir, `${createHash('sha256').update(key).digest('hex')}.px`);
  }

  /**
   * The cached pixels for `key`, or undefined (missing, damaged, or of another length than
   * `length`; without it, any length the caller then checks).
   */
  async read(key: string, length?: number): Promise<Uint8Array | undefined> {
    const data = await readFile(this.fileFor(key)).catch(() => undefined);
    if (!data || data.byteLength < MAGIC.byteLength || !data.subarray(0, MAGIC.byteLength).equals(MAGIC)) return undefined;
    if (length !== undefined && data.byteLength !== MAGIC.byteLength + length) return undefined;
    return new Uint8Array(data.buffer, data.byteOffset + MAGIC.byteLength, data.byteLength - MAGIC.byteLength);
  }

  async write(key: string, pixels: Uint8Array): Promise<void> {
    this.ready ??= makeDir(this.dir).then(() => undefined);
    await this.ready;
    const file = this.fileFor(key);
    const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    try {
      await writeFile(temp, Buffer.concat([MAGIC, pixels]));
      await rename(temp, file);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
  }
}
