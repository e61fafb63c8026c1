import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pixelAt, snapshotTree, tempDir, writeImage } from '../testing/fixtures.js';
import { loadImageFolderSource } from './image-folder-source.js';

let dir: string;
let cleanup: () => Promise<void>;
let photos: string;
const quiet = { log: () => {} };
const red = [200, 30, 30] as const;
const blue = [30, 30, 200] as const;

beforeAll(async () => {
  ({ dir, remove: cleanup } = await tempDir('labelled-by-file'));
  photos = path.join(dir, 'photos');
  // A folder as a camera or an export leaves it: no class folders.
  for (const [name, color] of [['day1/001.png', red], ['day1/002.png', blue], ['day2/003.png', red], ['004.png', blue], ['005.png', red]] as const) {
    await writeImage(path.join(photos, name), { width: 10, height: 6, color });
  }
  await writeFile(path.join(dir, 'labels.csv'), 'file,class\nday2/003.png,red\n004.png,blue\nday1/001.png,red\n');
});
afterAll(() => cleanup());

describe('an image folder labelled by a file', () => {
  it('decodes the images the file names, with its classes, and streams the rest as the unlabelled images', async () => {
    const before = await snapshotTree(photos);
    const source = await loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), size: 4, ...quiet });
    expect(source.classNames).toEqual(['blue', 'red']);
    // In the folder's order, whatever the file's.
    expect(source.train.origins).toEqual([path.join(photos, '004.png'), path.join(photos, 'day1/001.png'), path.join(photos, 'day2/003.png')]);
    expect(Array.from(source.train.labels)).toEqual([0, 1, 1]);
    expect(pixelAt(source.train.pixels, source.train.shape, 0, 1, 1)[2]).toBeGreaterThan(150);
    const stream = source.unlabelledStream!;
    expect([stream.count, stream.file(0), stream.file(1)]).toEqual([2, '005.png', 'day1/002.png']);
    const loaded = await stream.load();
    expect(Array.from(loaded.labels)).toEqual([-1, -1]);
    expect(loaded.origins).toEqual([path.join(photos, '005.png'), path.join(photos, 'day1/002.png')]);
    const read = [];
    for await (const batch of stream.read([1], { batchSize: 1 })) read.push(batch);
    expect(Buffer.from(read[0]!.pixels).equals(Buffer.from(loaded.pixels.subarray(4 * 4 * 3)))).toBe(true);
    expect(await snapshotTree(photos)).toEqual(before);
  });

  it('takes its test images from a second file: of testDir, or of the same folder, out of its unlabelled images', async () => {
    await writeFile(path.join(dir, 'test.csv'), 'file,class\nday1/002.png,blue\n');
    const source = await loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), testLabels: path.join(dir, 'test.csv'), size: 4, ...quiet });
    expect(source.test?.origins).toEqual([path.join(photos, 'day1/002.png')]);
    expect(Array.from(source.test?.labels ?? [])).toEqual([0]);
    const stream = source.unlabelledStream!;
    expect([stream.count, stream.file(0)]).toEqual([1, '005.png']);
    expect(Array.from((await stream.load()).labels)).toEqual([-1]);
    // A test file of another folder leaves this one's unlabelled images as they are.
    const elsewhere = await loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), testDir: photos, testLabels: path.join(dir, 'test.csv'), size: 4, ...quiet });
    expect(elsewhere.unlabelledStream?.count).toBe(2);
  });

  it('refuses an image labelled for training and for testing, and a test file with nothing to name its images in', async () => {
    await writeFile(path.join(dir, 'overlap.csv'), 'file,class\n004.png,blue\n');
    await expect(loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), testLabels: path.join(dir, 'overlap.csv'), size: 4, ...quiet })).rejects.toThrow(
      /"004\.png" is labelled in both .*labels\.csv and .*overlap\.csv; an image is for training or for testing/,
    );
    await expect(loadImageFolderSource({ dir: photos, testLabels: path.join(dir, 'overlap.csv'), size: 4, ...quiet })).rejects.toThrow(
      /image-folder: testLabels names test images of testDir, or of dir when labels names its training images/,
    );
  });

  it('names the labels file, not a training folder, for a test class it does not name', async () => {
    const testDir = path.join(dir, 'test-classes');
    await writeImage(path.join(testDir, 'red', 'a.png'), { width: 10, height: 6, color: red });
    await writeImage(path.join(testDir, 'green', 'b.png'), { width: 10, height: 6, color: red });
    await expect(loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), testDir, size: 4, ...quiet })).rejects.toThrow(
      /Test folder ".*test-classes" has class folder "green" that the training labels \(.*labels\.csv\) do not name; the classes must be the same \(training has: blue, red\)/,
    );
  });

  it('keeps the classes of classNames, in their order', async () => {
    const source = await loadImageFolderSource({ dir: photos, labels: path.join(dir, 'labels.csv'), classNames: ['red', 'blue'], size: 4, ...quiet });
    expect(Array.from(source.train.labels)).toEqual([1, 0, 0]);
  });

  it.each([
    ['an image the folder does not hold', 'file,class\nday3/009.png,red\n', {}, /missing\.csv line 2: "day3\/009\.png" is not an image in ".*photos"; name each image by its path within the folder/],
    ['a class outside classNames', 'file,class\n004.png,green\n', { classNames: ['red', 'blue'] }, /outside\.csv line 2: class "green" is not one of classNames \(red, blue\)/],
    ['a class of classNames it labels nothing of', 'file,class\n004.png,blue\n', { classNames: ['red', 'blue'] }, /unused\.csv labels no image "red"; label some, or leave the class out of classNames/],
    ['an unlabelledDir beside it', 'file,class\n004.png,blue\n', { unlabelledDir: 'elsewhere' }, /image-folder: with labels, the images of ".*photos" that .*beside\.csv does not name are the unlabelled ones; leave unlabelledDir \("elsewhere"\) out/],
  ])('refuses %s, naming the line', async (_what, text, extra, message) => {
    const name = `${String(message).match(/([a-z-]+)\\?\.csv/)?.[1]}.csv`;
    await writeFile(path.join(dir, name), text);
    await expect(loadImageFolderSource({ dir: photos, labels: path.join(dir, name), size: 4, ...quiet, ...extra })).rejects.toThrow(message);
  });
});
