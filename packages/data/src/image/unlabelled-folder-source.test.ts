import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { StreamedBatch, StreamedImageSet } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelStats } from '../stats/channel-stats.js';
import { tempDir, writeImage } from '../testing/fixtures.js';
import { loadUnlabelledFolderSource } from './image-folder-source.js';
import type { StreamedFolder } from '../stream/streamed-folder.js';
import { loadUnlabelledFolder } from './load-image-folder.js';

let root: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ dir: root, remove: cleanup } = await tempDir('unlabelled-source'));
  for (let i = 0; i < 12; i++) {
    const color = (x: number, y: number) => [(x * 20 + i * 7) % 256, (y * 30 + i) % 256, (i * 40) % 256] as const;
    await writeImage(path.join(root, 'photos', `shelf-${i % 3}`, `p${String(i).padStart(2, '0')}.png`), { width: 10 + i, height: 9, color });
  }
  await writeFile(path.join(root, 'photos', 'notes.txt'), 'not an image');
  await writeImage(path.join(root, 'damaged', 'a.png'), { width: 8, height: 8, color: [10, 20, 30] });
  await writeImage(path.join(root, 'damaged', 'c.png'), { width: 8, height: 8, color: [200, 100, 0] });
  await writeFile(path.join(root, 'damaged', 'b.png'), 'truncated');
});
afterAll(() => cleanup());

async function readAll(stream: StreamedImageSet): Promise<StreamedBatch[]> {
  const batches: StreamedBatch[] = [];
  for await (const batch of stream.read(Int32Array.from({ length: stream.count }, (_, i) => i), { batchSize: 5 })) batches.push(batch);
  return batches;
}

const close = (stream: StreamedImageSet) => (stream as StreamedFolder).close();

describe('an unlabelled-folder source', () => {
  it('lists the folder and keeps none of it in memory, with the statistics and pixels of the folder loaded whole', async () => {
    const notices: string[] = [];
    const options = { size: 8, log: (m: string) => notices.push(m) };
    const source = await loadUnlabelledFolderSource({ dir: path.join(root, 'photos'), ...options });
    const stream = source.unlabelledStream as StreamedImageSet;
    try {
      expect(source.train.labels.length).toBe(0);
      expect(source.unlabelled).toBeUndefined();
      expect(stream.count).toBe(12);
      expect(stream.file(4)).toBe('shelf-1/p01.png');
      const loaded = await loadUnlabelledFolder(path.join(root, 'photos'), { ...options, log: () => {} });
      expect(source.normalization).toEqual(channelStats(loaded.images));
      const read = await readAll(stream);
      expect(read.map((batch) => batch.indices.length)).toEqual([5, 5, 2]);
      expect(Buffer.concat(read.map((batch) => batch.pixels)).equals(Buffer.from(loaded.images.pixels))).toBe(true);
      expect(notices).toEqual([expect.stringMatching(/^Ignored 1 file under ".*photos": notes\.txt \(not an image by name\)$/)]);
    } finally {
      await close(stream);
    }
  });

  it('names an image that does not decode, and with skipBadImages leaves it out of the stream and reports it', async () => {
    const dir = path.join(root, 'damaged');
    await expect(loadUnlabelledFolderSource({ dir, size: 8, log: () => {} })).rejects.toThrow(/Image "b\.png" could not be decoded .*; remove it or set skipBadImages/);
    const notices: string[] = [];
    const source = await loadUnlabelledFolderSource({ dir, size: 8, skipBadImages: true, log: (m) => notices.push(m) });
    const stream = source.unlabelledStream as StreamedImageSet;
    try {
      expect(stream.count).toBe(2);
      expect([stream.file(0), stream.file(1)]).toEqual(['a.png', 'c.png']);
      expect(source.skipped).toEqual([{ file: path.join(dir, 'b.png'), reason: expect.any(String) }]);
      expect(notices).toEqual(['Skipped 1 unreadable image (skipBadImages)']);
      const [batch] = await readAll(stream);
      expect(batch?.skipped).toEqual([]);
      // the statistics are those of the two images that decode: channel 0 is 10 and 200
      expect(source.normalization?.mean[0]).toBeCloseTo(105 / 255, 6);
    } finally {
      await close(stream);
    }
  });

  it('only lists the folder for a run that normalises otherwise: an image that does not decode is found when read', async () => {
    const dir = path.join(root, 'damaged');
    const source = await loadUnlabelledFolderSource({ dir, size: 8, statistics: false, log: () => {} });
    const stream = source.unlabelledStream as StreamedImageSet;
    try {
      expect(source.normalization).toBeUndefined();
      expect(stream.count).toBe(3);
      await expect(readAll(stream)).rejects.toThrow(/Image "b\.png" could not be decoded .*; remove it or set skipBadImages/);
    } finally {
      await close(stream);
    }
    const skipping = await loadUnlabelledFolderSource({ dir, size: 8, statistics: false, skipBadImages: true, log: () => {} });
    const rest = skipping.unlabelledStream as StreamedImageSet;
    try {
      const [batch] = await readAll(rest);
      expect(batch?.skipped).toEqual([{ file: 'b.png', reason: expect.any(String) }]);
      expect(Array.from(batch?.indices ?? [])).toEqual([0, 2]);
    } finally {
      await close(rest);
    }
  });

  it('refuses a folder with no image, and one whose images all fail to decode', async () => {
    await expect(loadUnlabelledFolderSource({ dir: path.join(root, 'empty-and-missing'), size: 8 })).rejects.toThrow(/empty-and-missing/);
    const only = path.join(root, 'all-bad');
    await writeImage(path.join(only, 'x.png'), { width: 4, height: 4, color: [0, 0, 0] });
    await writeFile(path.join(only, 'x.png'), 'broken');
    await expect(loadUnlabelledFolderSource({ dir: only, size: 8, skipBadImages: true, log: () => {} })).rejects.toThrow(
      /^Unlabelled image folder ".*all-bad" has no readable images \(all 1 were skipped\)$/,
    );
  });
});
