import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channelStats } from '../stats/channel-stats.js';
import { startFileServer, type FileServer } from '../testing/file-server.js';
import { snapshotTree, tempDir } from '../testing/fixtures.js';
import { idxBytes, tinyIdxPair } from '../testing/idx-bytes.js';
import { FASHION_MNIST, type IdxDatasetDescriptor } from './idx-datasets.js';
import { loadFashionMnist, loadIdxDataset, loadIdxFiles } from './load-idx-dataset.js';

const sha = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const train = tinyIdxPair(30, 4, 4, 3);
const test = tinyIdxPair(9, 4, 4, 3);
const served = {
  'train-images-idx3-ubyte.gz': gzipSync(train.images),
  'train-labels-idx1-ubyte.gz': gzipSync(train.labels),
  't10k-images-idx3-ubyte.gz': gzipSync(test.images),
  't10k-labels-idx1-ubyte.gz': gzipSync(test.labels),
};
const spec = (name: keyof typeof served) => ({ name, size: served[name].length, sha256: sha(served[name]) });

let server: FileServer;
let dir: string;
let cleanup: () => Promise<void>;
let tiny: IdxDatasetDescriptor;
const quiet = { progress: false, log: () => {} };

beforeAll(async () => {
  server = await startFileServer(served);
  ({ dir, remove: cleanup } = await tempDir('idx-dataset'));
  tiny = {
    name: 'tiny',
    description: 'test data',
    classNames: ['a', 'b', 'c'],
    normalization: { mean: [0.5], std: [0.25] },
    train: { images: spec('train-images-idx3-ubyte.gz'), labels: spec('train-labels-idx1-ubyte.gz') },
    test: { images: spec('t10k-images-idx3-ubyte.gz'), labels: spec('t10k-labels-idx1-ubyte.gz') },
    mirrors: [server.base('ok')],
    localDirs: [],
  };
});
afterAll(async () => {
  await server.close();
  await cleanup();
});

describe('loadIdxDataset', () => {
  it('reads a local folder first, raw or compressed, and writes nothing there', async () => {
    const local = path.join(dir, 'local');
    await mkdir(local, { recursive: true });
    await writeFile(path.join(local, 'train-images-idx3-ubyte'), train.images);
    await writeFile(path.join(local, 'train-labels-idx1-ubyte.gz'), gzipSync(train.labels));
    await writeFile(path.join(local, 't10k-images.idx3-ubyte'), test.images);
    await writeFile(path.join(local, 't10k-labels-idx1-ubyte'), test.labels);
    const before = await snapshotTree(local);
    const requests = server.requests.length;
    const source = await loadIdxDataset(tiny, { dir: local, ...quiet });
    expect(source.train.labels.length).toBe(30);
    expect(source.test?.labels.length).toBe(9);
    expect(source.train.shape).toEqual([4, 4, 1]);
    expect(source.classNames).toEqual(['a', 'b', 'c']);
    expect(source.normalization).toEqual({ mean: [0.5], std: [0.25] });
    expect(Buffer.from(source.train.pixels).equals(train.images.subarray(16))).toBe(true);
    expect(server.requests.length).toBe(requests);
    expect(await snapshotTree(local)).toEqual(before);
    await expect(loadIdxDataset(tiny, { dir: path.join(dir, 'elsewhere'), ...quiet })).rejects.toThrow(
      /tiny: ".*elsewhere" has no train-images-idx3-ubyte.gz \/ train-images-idx3-ubyte/,
    );
  });

  it('downloads what is missing into the cache, verified, and reads the cache next time', async () => {
    const cacheDir = path.join(dir, 'cache');
    const source = await loadIdxDataset(tiny, { cacheDir, ...quiet });
    expect(source.train.labels.length).toBe(30);
    expect((await readdir(path.join(cacheDir, 'tiny'))).sort()).toEqual(Object.keys(served).sort());
    const requests = server.requests.length;
    await loadIdxDataset(tiny, { cacheDir, ...quiet });
    expect(server.requests.length).toBe(requests);
  });

  it('refuses a copy whose content hash is wrong, removing it from the cache', async () => {
    const cacheDir = path.join(dir, 'cache-content');
    const wrong = { ...tiny, train: { ...tiny.train, labels: { ...tiny.train.labels, contentSha256: '0'.repeat(64) } } };
    await expect(loadIdxDataset(wrong, { cacheDir, ...quiet })).rejects.toThrow(
      /tiny: ".*train-labels-idx1-ubyte.gz" does not hold the published train-labels-idx1-ubyte.gz .*it was removed from the cache/,
    );
    expect(existsSync(path.join(cacheDir, 'tiny', 'train-labels-idx1-ubyte.gz'))).toBe(false);
  });

  it('says where it looked when the files are absent and downloads are off', async () => {
    const cacheDir = path.join(dir, 'empty-cache');
    await expect(loadIdxDataset(tiny, { cacheDir, download: false, ...quiet })).rejects.toThrow(
      /tiny: train-images-idx3-ubyte.gz is not in .*empty-cache\/tiny and downloads are off/,
    );
  });

  it.skipIf(!existsSync('/usr/share/datasets/fashion-mnist'))(
    "reads Fashion-MNIST from Debian's dataset-fashion-mnist (skipped when the package is not installed)",
    async () => {
      const source = await loadFashionMnist({ download: false, ...quiet });
      expect(source.train.labels.length).toBe(60000);
      expect(source.test?.labels.length).toBe(10000);
      expect(source.train.shape).toEqual([28, 28, 1]);
      expect(source.classNames[9]).toBe('Ankle boot');
      const counts = new Array(10).fill(0);
      for (const y of source.train.labels) counts[y]++;
      expect(counts).toEqual(new Array(10).fill(6000));
      const stats = channelStats(source.train);
      expect(stats.mean[0]).toBeCloseTo(FASHION_MNIST.normalization.mean[0] as number, 3);
      expect(stats.std[0]).toBeCloseTo(FASHION_MNIST.normalization.std[0] as number, 3);
    },
  );
});

describe('loadIdxFiles', () => {
  it('loads any IDX pair, naming classes by label value and measuring mean and std', async () => {
    const at = path.join(dir, 'files');
    await mkdir(at, { recursive: true });
    await writeFile(path.join(at, 'ti'), train.images);
    await writeFile(path.join(at, 'tl'), train.labels);
    await writeFile(path.join(at, 'vi'), idxBytes(0x08, [2, 5, 5], new Array(50).fill(0)));
    await writeFile(path.join(at, 'vl'), idxBytes(0x08, [2], [0, 1]));
    const source = await loadIdxFiles({ trainImages: path.join(at, 'ti'), trainLabels: path.join(at, 'tl') });
    expect(source.classNames).toEqual(['0', '1', '2']);
    expect(source.normalization).toEqual(channelStats(source.train));
    await expect(
      loadIdxFiles({ trainImages: path.join(at, 'ti'), trainLabels: path.join(at, 'tl'), testImages: path.join(at, 'vi'), testLabels: path.join(at, 'vl') }),
    ).rejects.toThrow(/IDX test images ".*vi" are 5×5×1, training images ".*ti" are 4×4×1; they must match/);
    await expect(loadIdxFiles({ trainImages: path.join(at, 'ti'), trainLabels: path.join(at, 'tl'), testImages: path.join(at, 'vi') })).rejects.toThrow(
      /testImages and testLabels go together/,
    );
  });

  it('refuses labels with a gap among the classes (a damaged byte), naming the file, the label and its item', async () => {
    const at = path.join(dir, 'gap');
    await mkdir(at, { recursive: true });
    await writeFile(path.join(at, 'ti'), idxBytes(0x08, [4, 4, 4], new Array(64).fill(0)));
    await writeFile(path.join(at, 'tl'), idxBytes(0x08, [4], [0, 1, 250, 1]));
    await expect(loadIdxFiles({ trainImages: path.join(at, 'ti'), trainLabels: path.join(at, 'tl') })).rejects.toThrow(
      /IDX labels ".*tl": label 250 \(item 2\) makes 251 classes, but class 2 labels no training image; labels number the classes from 0 without gaps/,
    );
  });
});
