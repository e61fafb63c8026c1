import { readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isInputError } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir, writeImage } from '../testing/fixtures.js';
import { decodeImages } from '../image/decode-images.js';
import { decodeParams } from '../image/decode-options.js';
import { DecodePool } from './decode-pool.js';
import { readImageManifest } from './image-manifest.js';
import { entryFile } from './manifest-entry.js';
import { streamImageBatches, type ImageBatch } from './stream-image-batches.js';

let root: string;
let remove: () => Promise<void>;
const params = decodeParams({ size: 8, resize: 'exact' });
const imageSize = 8 * 8 * 3;

beforeAll(async () => {
  ({ dir: root, remove } = await tempDir('stream'));
  // 11 images in two folders, of different colours, and a file that is not an image.
  for (let i = 0; i < 11; i++) {
    const folder = i % 2 ? 'b' : 'a';
    await writeImage(path.join(root, 'images', folder, `${String(i).padStart(2, '0')}.png`), {
      width: 10 + i,
      height: 9,
      color: (x, y) => [(x * 20 + i * 7) % 256, (y * 25) % 256, (i * 23) % 256],
    });
  }
  await writeFile(path.join(root, 'images', 'notes.txt'), 'not an image');
});
afterAll(() => remove());

async function collect(stream: AsyncGenerator<ImageBatch>): Promise<ImageBatch[]> {
  const out: ImageBatch[] = [];
  for await (const batch of stream) out.push(batch);
  return out;
}

describe('readImageManifest', () => {
  it('lists the images in code-unit order with size and mtime, and the files it ignored', async () => {
    const manifest = await readImageManifest(path.join(root, 'images'));
    expect(manifest.entries.map((e) => e.path)).toEqual([
      'a/00.png', 'a/02.png', 'a/04.png', 'a/06.png', 'a/08.png', 'a/10.png',
      'b/01.png', 'b/03.png', 'b/05.png', 'b/07.png', 'b/09.png',
    ]);
    expect(manifest.entries.every((e) => e.size > 0 && e.mtimeMs > 0)).toBe(true);
    expect(manifest.ignored).toEqual(['notes.txt']);
  });
});

describe('streamImageBatches', () => {
  it('yields the same pixels as the in-memory decoder, in batches, in order', async () => {
    const { root: dir, entries } = await readImageManifest(path.join(root, 'images'));
    const files = entries.map((e) => entryFile(dir, e));
    const whole = await decodeImages(files, files, params);
    const batches = await collect(streamImageBatches(dir, entries, params, { batchSize: 4, readAhead: 1, threads: 2 }));
    expect(batches.map((b) => b.start)).toEqual([0, 4, 8]);
    expect(batches.map((b) => b.indices.length)).toEqual([4, 4, 3]);
    const joined = Buffer.concat(batches.map((b) => b.pixels));
    expect(joined.equals(Buffer.from(whole.pixels))).toBe(true);
  });

  it('reports a corrupt image with its path and goes on with skipBadImages; fails on it without', async () => {
    const { dir, remove: done } = await tempDir('stream-bad');
    try {
      for (let i = 0; i < 5; i++) await writeImage(path.join(dir, `${i}.png`), { width: 8, height: 8, color: [i * 40, 10, 10] });
      await writeFile(path.join(dir, '2.png'), Buffer.from('\x89PNG\r\n\x1a\nthis is not a png'));
      const manifest = await readImageManifest(dir);
      const batches = await collect(streamImageBatches(manifest.root, manifest.entries, params, { batchSize: 3, skipBadImages: true }));
      expect(batches.flatMap((b) => b.indices)).toEqual([0, 1, 3, 4]);
      expect(batches[0]!.pixels.length).toBe(2 * imageSize);
      expect(batches.flatMap((b) => b.skipped).map((s) => s.file)).toEqual(['2.png']);
      const failing = collect(streamImageBatches(manifest.root, manifest.entries, params, { batchSize: 3 }));
      await expect(failing).rejects.toSatisfy(isInputError);
      await expect(collect(streamImageBatches(manifest.root, manifest.entries, params, { batchSize: 3 }))).rejects.toThrow(
        /Image "2\.png" could not be decoded \(.+\); remove it or set skipBadImages/,
      );
    } finally {
      await done();
    }
  });

  it('fills and then reads the disk cache, with the same pixels', async () => {
    const { dir: cacheDir, remove: done } = await tempDir('stream-cache');
    const pool = new DecodePool(1);
    try {
      const { root: dir, entries } = await readImageManifest(path.join(root, 'images'));
      const first = await collect(streamImageBatches(dir, entries, params, { batchSize: 5, pool, diskCache: cacheDir }));
      expect((await readdir(cacheDir)).filter((f) => f.endsWith('.px'))).toHaveLength(11);
      const second = await collect(streamImageBatches(dir, entries, params, { batchSize: 5, pool, diskCache: cacheDir }));
      expect(Buffer.concat(second.map((b) => b.pixels)).equals(Buffer.concat(first.map((b) => b.pixels)))).toBe(true);
    } finally {
      await pool.close();
      await done();
    }
  });

  it('decodes at most readAhead + 1 batches before the first is used', async () => {
    const { root: dir, entries } = await readImageManifest(path.join(root, 'images'));
    let asked = 0;
    const pool = new DecodePool(1);
    const counting = { decode: (task: Parameters<DecodePool['decode']>[0]) => (asked++, pool.decode(task)), close: () => pool.close() } as unknown as DecodePool;
    const stream = streamImageBatches(dir, entries, params, { batchSize: 2, readAhead: 1, pool: counting });
    try {
      await stream.next();
      // The first batch was handed out, one waits decoded, and the one after it was asked for.
      expect(asked).toBe(3);
    } finally {
      await stream.return(undefined);
      await pool.close();
    }
  });
});
