import path from 'node:path';
import { createFrugal, IMAGE_CACHE, isInputError, splitLabelled, type FrugalPlugin, type ImageCache } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkClassCount } from './check-class-count.js';
import { tempDir, writeImage, type Rgb } from './testing/fixtures.js';
import { data } from './index.js';
import type { StreamedFolder } from './stream/streamed-folder.js';

let root: string;
let cleanup: () => Promise<void>;
const quiet = { log: () => {} };
const colors: Record<string, Rgb> = { cat: [200, 40, 40], dog: [40, 200, 40] };

beforeAll(async () => {
  ({ dir: root, remove: cleanup } = await tempDir('plugin'));
  for (const split of ['train', 'test']) {
    for (const [name, color] of Object.entries(colors)) {
      for (let i = 0; i < (split === 'train' ? 4 : 2); i++) {
        await writeImage(path.join(root, split, name, `${i}.png`), { width: 20 + i, height: 16, color });
      }
    }
  }
  await writeImage(path.join(root, 'extra', 'a.jpg'), { width: 16, height: 16, color: [0, 0, 200] });
  await writeImage(path.join(root, 'extra', 'more', 'b.webp'), { width: 16, height: 16, color: [0, 0, 200] });
  await writeImage(path.join(root, 'wrong-test', 'cat', 'a.png'), { width: 8, height: 8, color: [0, 0, 0] });
  await writeImage(path.join(root, 'wrong-test', 'horse', 'a.png'), { width: 8, height: 8, color: [0, 0, 0] });
});
afterAll(() => cleanup());

describe('data()', () => {
  it('registers its dataset sources only when used', () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    expect(frugal.datasets.names()).toEqual(['cifar10', 'cifar100', 'fashion-mnist', 'idx', 'image-folder', 'mnist', 'mnist-idx', 'unlabelled-folder']);
    expect(createFrugal().datasets.names()).toEqual([]);
    for (const entry of frugal.datasets.list()) expect(entry.plugin).toBe('@frugal/data');
  });

  it('loads an image folder with test and unlabelled images through the registry, ready for a split', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)], seed: 7 });
    const source = await frugal.datasets.load('image-folder', {
      dir: path.join(root, 'train'),
      testDir: path.join(root, 'test'),
      unlabelledDir: path.join(root, 'extra'),
      size: 8,
    });
    expect(source.name).toBe('train');
    expect(source.classNames).toEqual(['cat', 'dog']);
    expect(source.train.labels.length).toBe(8);
    expect(source.test?.labels.length).toBe(4);
    // The unlabelled folder is listed, not decoded: read in batches, or loaded whole.
    expect(source.unlabelled).toBeUndefined();
    const stream = source.unlabelledStream!;
    expect([stream.count, stream.file(0), stream.file(1)]).toEqual([2, 'a.jpg', 'more/b.webp']);
    const loaded = await stream.load();
    expect(Array.from(loaded.labels)).toEqual([-1, -1]);
    const read = [];
    for await (const batch of stream.read([1, 0], { batchSize: 1 })) read.push(batch);
    expect(read.map((b) => Array.from(b.indices))).toEqual([[1], [0]]);
    const size = 8 * 8 * 3;
    expect(Buffer.from(read[0]!.pixels).equals(Buffer.from(loaded.pixels.subarray(size, 2 * size)))).toBe(true);
    expect(source.normalization?.mean).toHaveLength(3);
    expect(source.normalization?.mean[0]).toBeCloseTo((200 + 40) / 2 / 255, 1);
    expect(source.decode).toEqual({ resize: 'shorter-side-crop', kernel: 'lanczos3' });
    const split = splitLabelled(source.train, { labelledPerClass: 1, rng: frugal.rng.child('split') });
    expect(split.labelled.labels.length).toBe(2);
    expect(split.unlabelled.labels.length).toBe(6);
  });

  it('serves a second load of the same folder from its memory cache', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    const params = { dir: path.join(root, 'train'), size: 8 };
    const first = await frugal.datasets.load('image-folder', params);
    const second = await frugal.datasets.load('image-folder', params);
    expect(Buffer.from(second.train.pixels).equals(Buffer.from(first.train.pixels))).toBe(true);
  });

  it('keeps decoded images in the image cache another plugin provides by its token', async () => {
    const stored = new Map<string, Uint8Array>();
    let hits = 0;
    const cache: ImageCache = {
      get: (key) => {
        const pixels = stored.get(key);
        if (pixels) hits++;
        return pixels;
      },
      set: (key, pixels) => void stored.set(key, pixels),
    };
    const ownCache: FrugalPlugin = { name: 'own-image-cache', register: (r) => r.provide(IMAGE_CACHE, cache) };
    const frugal = createFrugal({ plugins: [data(quiet), ownCache] });
    const params = { dir: path.join(root, 'train'), size: 8 };
    await frugal.datasets.load('image-folder', params);
    expect([stored.size, hits]).toEqual([8, 0]);
    await frugal.datasets.load('image-folder', params);
    expect(hits).toBe(8);
  });

  it('checks the parameters, naming the field and value', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    // Parameters are checked before anything is read (a synchronous throw from load()).
    const attempt = (name: string, params: Record<string, unknown>) => Promise.resolve().then(() => frugal.datasets.load(name, params));
    const error = await attempt('image-folder', { dir: root, size: -3 }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toBe('dataset.image-folder.size: got -3; expected number to be >=1');
    await expect(attempt('image-folder', { dir: root, size: 8, colour: 'rgb' })).rejects.toThrow(/colour/);
    await expect(attempt('mnist', { testPerClass: 'all' })).rejects.toThrow(/testPerClass/);
    await expect(attempt('fashion-mnist', { mirrors: ['not a url'] })).rejects.toThrow(/mirrors\[0\]/);
    await expect(attempt('image-folder', { dir: root, size: 8, classNames: ['cat', 'cat', 'dog'] })).rejects.toThrow(/classNames: got \["cat","cat","dog"\]; expected each class name once/);
  });

  it('rejects a test folder with classes the training folder lacks', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    await expect(
      frugal.datasets.load('image-folder', { dir: path.join(root, 'train'), testDir: path.join(root, 'wrong-test'), size: 8 }),
    ).rejects.toThrow(/Test folder ".*wrong-test" has class folder "horse" that the training folder ".*train" lacks/);
  });

  it('loads unlabelled images as a source of their own', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    const source = await frugal.datasets.load('unlabelled-folder', { dir: path.join(root, 'extra'), size: 8, classNames: ['cat', 'dog'] });
    expect(source.train.labels.length).toBe(0);
    expect(source.unlabelledStream?.count).toBe(2);
    expect(source.classNames).toEqual(['cat', 'dog']);
    await (source.unlabelledStream as StreamedFolder).close();
  });

  it('says how its images were fitted to the size, for the model card', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    const params = { size: 8, resize: 'exact', kernel: 'nearest' };
    expect((await frugal.datasets.load('image-folder', { dir: path.join(root, 'train'), ...params })).decode).toEqual({ resize: 'exact', kernel: 'nearest' });
    const cropped = { dir: path.join(root, 'extra'), size: 8, shorterSide: 12, kernel: 'cubic' };
    expect((await frugal.datasets.load('unlabelled-folder', cropped)).decode).toEqual({ resize: 'shorter-side-crop', shorterSide: 12, kernel: 'cubic' });
  });

  it('loads the embedded MNIST digits by name', async () => {
    const frugal = createFrugal({ plugins: [data(quiet)] });
    const source = await frugal.datasets.load('mnist', { testPerClass: 50 });
    expect(source.test?.labels.length).toBe(500);
    expect(source.classNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(source.normalization).toEqual({ mean: [0.1307], std: [0.3081] });
  });
});

describe('checkClassCount', () => {
  it('names both counts and what to do', () => {
    const source = { name: 'pets', classNames: ['cat', 'dog'] };
    expect(() => checkClassCount(source, 2)).not.toThrow();
    expect(() => checkClassCount(source, 10, 'resnet18')).toThrow(
      'Dataset "pets" has 2 classes (cat, dog) but resnet18 is built for 10; set numClasses to 2',
    );
  });
});
