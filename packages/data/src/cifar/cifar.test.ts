import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import * as tar from 'tar';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFileServer, type FileServer } from '../testing/file-server.js';
import { cifarRecords, cifarValue, writeCifarFolder } from '../testing/cifar-bytes.js';
import { snapshotTree, tempDir } from '../testing/fixtures.js';
import { CIFAR10, CIFAR100 } from './cifar-datasets.js';
import { loadCifarDataset } from './load-cifar-dataset.js';
import { cifarImageSet } from './read-cifar.js';

let dir: string;
let cleanup: () => Promise<void>;
let server: FileServer;
const quiet = { progress: false, log: () => {} };

beforeAll(async () => {
  ({ dir, remove: cleanup } = await tempDir('cifar'));
  // The archives as served: the batch folder with 6 images a file, tarred and gzipped.
  const served: Record<string, Buffer> = {};
  for (const descriptor of [CIFAR10, CIFAR100]) {
    const src = path.join(dir, 'archive-src', descriptor.name);
    await writeCifarFolder(src, descriptor, 6);
    const archive = path.join(dir, descriptor.archive);
    // CIFAR-100's entries written as ./cifar-100-binary/..., as some tar programs name them.
    await tar.c({ gzip: true, file: archive, cwd: src }, [descriptor === CIFAR100 ? `./${descriptor.folder}` : descriptor.folder]);
    served[descriptor.archive] = await readFile(archive);
  }
  server = await startFileServer(served);
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('cifarImageSet', () => {
  it('lays each record\'s red, green and blue planes out as height × width × channels, file after file', () => {
    const layout = { name: 'cifar10', labelBytes: 1, labelByte: 0 };
    const set = cifarImageSet(
      [
        { file: 'a.bin', bytes: cifarRecords(3, layout, 10) },
        { file: 'b.bin', bytes: cifarRecords(2, layout, 10, 3) },
      ],
      layout,
      CIFAR10.classNames,
    );
    expect(set.shape).toEqual([32, 32, 3]);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 3, 4]);
    expect(set.origins).toEqual(['a.bin#0', 'a.bin#1', 'a.bin#2', 'b.bin#0', 'b.bin#1']);
    for (const [i, row, col, c] of [[0, 0, 0, 0], [1, 0, 1, 2], [3, 31, 0, 1], [4, 17, 29, 2]] as const) {
      expect(set.pixels[((i * 32 + row) * 32 + col) * 3 + c]).toBe(cifarValue(i, c, row * 32 + col));
    }
  });

  it('reads CIFAR-100\'s fine label, the second of its two label bytes', () => {
    const layout = { name: 'cifar100', labelBytes: 2, labelByte: 1 };
    const set = cifarImageSet([{ file: 'train.bin', bytes: cifarRecords(4, layout, 100, 97) }], layout, CIFAR100.classNames);
    expect(Array.from(set.labels)).toEqual([97, 98, 99, 0]);
    expect(set.pixels[3 * 5 + 1]).toBe(cifarValue(97, 1, 5));
  });

  it('refuses a file cut inside a record, and a label past the classes, naming the file', () => {
    const layout = { name: 'cifar10', labelBytes: 1, labelByte: 0 };
    const cut = cifarRecords(2, layout, 10).subarray(0, 5000);
    expect(() => cifarImageSet([{ file: 'cut.bin', bytes: cut }], layout, CIFAR10.classNames)).toThrow(
      'cifar10: "cut.bin" holds 5,000 bytes, not a whole number of 3,073-byte records (a label byte and 32×32×3 pixels); it is cut short or not a cifar10 binary batch: replace it with an intact copy',
    );
    const bad = cifarRecords(2, layout, 10);
    bad[3073] = 10;
    expect(() => cifarImageSet([{ file: 'bad.bin', bytes: bad }], layout, CIFAR10.classNames)).toThrow('cifar10: "bad.bin" has label 10 in record 1, outside 0..9 (10 classes)');
    expect(() => cifarImageSet([{ file: 'empty.bin', bytes: new Uint8Array(0) }], layout, CIFAR10.classNames)).toThrow(/"empty\.bin" holds 0 bytes/);
  });
});

describe('loadCifarDataset', () => {
  it('reads a folder holding the batch files, or the folder it was unpacked in, and writes nothing there', async () => {
    const local = path.join(dir, 'local');
    const folder = await writeCifarFolder(local, CIFAR10, 4);
    const before = await snapshotTree(local);
    const requests = server.requests.length;
    for (const at of [local, folder]) {
      const source = await loadCifarDataset(CIFAR10, { dir: at, ...quiet });
      expect(source.train.labels.length).toBe(20);
      expect(source.test?.labels.length).toBe(4);
      // The test batch's records follow the five training files' 20.
      expect(Array.from(source.test?.labels ?? [])).toEqual([0, 1, 2, 3]);
      expect(source.test?.pixels[0]).toBe(cifarValue(20, 0, 0));
      expect(source.classNames).toEqual(CIFAR10.classNames);
      expect(source.normalization?.mean).toHaveLength(3);
    }
    expect(await snapshotTree(local)).toEqual(before);
    expect(server.requests.length).toBe(requests);
  });

  it('names the folder and the files it lacks', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty, { recursive: true });
    await expect(loadCifarDataset(CIFAR100, { dir: empty, ...quiet })).rejects.toThrow(
      `cifar100: "${empty}" does not hold train.bin, test.bin (nor does cifar-100-binary/ in it); unpack cifar-100-binary.tar.gz there, or leave dir out to use the download cache`,
    );
  });

  it('takes the class names from the folder\'s names file, and refuses one of another length', async () => {
    const renamed = await writeCifarFolder(path.join(dir, 'renamed'), CIFAR10, 2);
    await writeFile(path.join(renamed, 'batches.meta.txt'), CIFAR10.classNames.map((n) => n.toUpperCase()).join('\n'));
    expect((await loadCifarDataset(CIFAR10, { dir: renamed, ...quiet })).classNames[0]).toBe('AIRPLANE');
    await writeFile(path.join(renamed, 'batches.meta.txt'), 'cat\ndog\n');
    await expect(loadCifarDataset(CIFAR10, { dir: renamed, ...quiet })).rejects.toThrow(/batches\.meta\.txt" names 2 classes, where cifar10 has 10/);
  });

  it.each([CIFAR10, CIFAR100])('downloads $name once, unpacks its batch folder into the cache and keeps no archive', async (descriptor) => {
    const cacheDir = path.join(dir, `cache-${descriptor.name}`);
    const first = await loadCifarDataset(descriptor, { cacheDir, mirrors: [server.base('ok')], ...quiet });
    expect(first.train.labels.length).toBe(6 * descriptor.trainFiles.length);
    expect(first.classNames).toEqual(descriptor.classNames);
    expect(await readdir(path.join(cacheDir, descriptor.name))).toEqual([descriptor.folder]);
    const requests = server.requests.length;
    const again = await loadCifarDataset(descriptor, { cacheDir, mirrors: [server.base('ok')], download: false, ...quiet });
    expect(again.train.pixels).toEqual(first.train.pixels);
    expect(server.requests.length).toBe(requests);
  });

  it('removes a damaged archive and says to try again; with downloads off, says where it looked', async () => {
    const cacheDir = path.join(dir, 'cache-corrupt');
    await expect(loadCifarDataset(CIFAR10, { cacheDir, mirrors: [server.base('corrupt')], ...quiet })).rejects.toThrow(
      /cifar10: could not unpack .*cifar-10-binary\.tar\.gz \(.*\); it was removed from the cache, try again/,
    );
    expect(await readdir(path.join(cacheDir, 'cifar10'))).toEqual([]);
    await expect(loadCifarDataset(CIFAR10, { cacheDir: path.join(dir, 'cache-off'), download: false, ...quiet })).rejects.toThrow(
      /cifar10: the batch files are not in .*cache-off\/cifar10\/cifar-10-batches-bin and downloads are off; allow download, or give dir/,
    );
  });
});
