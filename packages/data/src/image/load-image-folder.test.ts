import { copyFile, mkdir, readFile, readdir, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { isInputError } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { near, pixelAt, snapshotTree, tempDir, writeImage, type Rgb } from '../testing/fixtures.js';
import { loadImageFolder, loadUnlabelledFolder } from './load-image-folder.js';
import { MemoryImageCache } from './memory-image-cache.js';

const RED: Rgb = [220, 30, 30];
const GREEN: Rgb = [30, 200, 40];
const BLUE: Rgb = [20, 40, 230];
const WHITE: Rgb = [255, 255, 255];

let root: string;
let cleanup: () => Promise<void>;
let pets: string;

beforeAll(async () => {
  ({ dir: root, remove: cleanup } = await tempDir('folder'));
  pets = path.join(root, 'pets');
  // Classes named so that code-unit order differs from a case-insensitive one.
  const classes: [string, Rgb][] = [
    ['b_dog', GREEN],
    ['a_cat', RED],
    ['Zebra', BLUE],
  ];
  const formats = ['jpg', 'png', 'webp', 'gif', 'tiff', 'avif'];
  for (const [name, color] of classes) {
    for (const [i, ext] of formats.entries()) {
      await writeImage(path.join(pets, name, `${i}.${ext}`), { width: 24 + i, height: 20, color });
    }
  }
  await writeImage(path.join(pets, 'a_cat', 'deeper', 'x.JPEG'), { width: 30, height: 30, color: RED });
  await writeFile(path.join(pets, 'a_cat', 'notes.txt'), 'not an image');
  await writeFile(path.join(pets, 'README.md'), '# pets');
  await writeFile(path.join(pets, 'b_dog', '.DS_Store'), 'mac');
}, 60_000);

afterAll(() => cleanup());

describe('loadImageFolder', () => {
  it('reads every format, with classes in code-unit order and one notice for non-image files', async () => {
    const notices: string[] = [];
    const { images, ignored } = await loadImageFolder(pets, { size: 8, log: (m) => notices.push(m) });
    expect(images.classNames).toEqual(['Zebra', 'a_cat', 'b_dog']);
    expect(images.shape).toEqual([8, 8, 3]);
    expect(images.labels.length).toBe(19);
    expect(Array.from(images.labels)).toEqual([...Array(6).fill(0), ...Array(7).fill(1), ...Array(6).fill(2)]);
    expect(images.origins?.[6]).toBe(path.join(pets, 'a_cat', '0.jpg'));
    expect(images.origins?.[12]).toBe(path.join(pets, 'a_cat', 'deeper', 'x.JPEG'));
    const colors = [BLUE, RED, GREEN];
    for (let i = 0; i < images.labels.length; i++) {
      const expected = colors[images.labels[i] as number] as Rgb;
      // GIF quantises to a palette; the others are lossless or high-quality.
      expect(near(pixelAt(images.pixels, images.shape, i, 4, 4), expected, 12), `${images.origins?.[i]}`).toBe(true);
    }
    expect(ignored.sort()).toEqual(['README.md', path.join('a_cat', 'notes.txt')].sort());
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('Ignored 2 files');
    expect(notices[0]).toContain('notes.txt');
    expect(notices[0]).not.toContain('.DS_Store');
  });

  it('fits images by the resize policy: exact stretch or shorter side + centre crop', async () => {
    const dir = path.join(root, 'stripes');
    // 40×20: four vertical stripes of 10 px, red | green | blue | white.
    const stripes = [RED, GREEN, BLUE, WHITE];
    await writeImage(path.join(dir, 'only', 'wide.png'), { width: 40, height: 20, color: (x) => stripes[Math.floor(x / 10)] as Rgb });
    const exact = (await loadImageFolder(dir, { size: 8, resize: 'exact', kernel: 'nearest' })).images;
    expect(near(pixelAt(exact.pixels, exact.shape, 0, 0, 4), RED)).toBe(true);
    expect(near(pixelAt(exact.pixels, exact.shape, 0, 7, 4), WHITE)).toBe(true);
    const crop = (await loadImageFolder(dir, { size: 8, resize: 'shorter-side-crop', kernel: 'nearest' })).images;
    // Scaled to 16×8, the centre 8 columns are the green and blue stripes.
    expect(near(pixelAt(crop.pixels, crop.shape, 0, 0, 4), GREEN)).toBe(true);
    expect(near(pixelAt(crop.pixels, crop.shape, 0, 7, 4), BLUE)).toBe(true);
    // Shorter side to 16 (32×16), then the centre 8×8: columns 12..19 of 32 — blue only at the right edge.
    const resized = (await loadImageFolder(dir, { size: 8, shorterSide: 16, kernel: 'nearest' })).images;
    expect(near(pixelAt(resized.pixels, resized.shape, 0, 0, 4), GREEN)).toBe(true);
    expect(near(pixelAt(resized.pixels, resized.shape, 0, 7, 4), BLUE)).toBe(true);
    expect(near(pixelAt(resized.pixels, resized.shape, 0, 3, 4), GREEN)).toBe(true);
    const tall = (await loadImageFolder(dir, { size: [4, 12], resize: 'exact', kernel: 'nearest' })).images;
    expect(tall.shape).toEqual([4, 12, 3]);
    await expect(loadImageFolder(dir, { size: 8, shorterSide: 4 })).rejects.toThrow(/shorterSide: got 4, smaller than the 8×8 crop/);
    await expect(loadImageFolder(dir, { size: 0 })).rejects.toThrow(/size \(height\): got 0/);
  });

  it('applies the EXIF orientation before resizing', async () => {
    const dir = path.join(root, 'oriented');
    // Stored 20 wide × 10 high, left half red; orientation 6 = shown turned 90° clockwise (red on top).
    await writeImage(path.join(dir, 'c', 'rotated.jpg'), {
      width: 20,
      height: 10,
      color: (x) => (x < 10 ? RED : BLUE),
      orientation: 6,
    });
    const { images } = await loadImageFolder(dir, { size: [20, 10], resize: 'exact' });
    expect(near(pixelAt(images.pixels, images.shape, 0, 5, 2), RED, 20)).toBe(true);
    expect(near(pixelAt(images.pixels, images.shape, 0, 5, 17), BLUE, 20)).toBe(true);
  });

  it('converts to grayscale and drops alpha', async () => {
    const dir = path.join(root, 'modes');
    await writeImage(path.join(dir, 'c', 'alpha.png'), { width: 10, height: 10, color: GREEN, alpha: true });
    await writeImage(path.join(dir, 'c', 'white.jpg'), { width: 10, height: 10, color: WHITE });
    const rgb = (await loadImageFolder(dir, { size: 6 })).images;
    expect(rgb.shape).toEqual([6, 6, 3]);
    expect(near(pixelAt(rgb.pixels, rgb.shape, 0, 3, 3), GREEN, 2)).toBe(true);
    const grey = (await loadImageFolder(dir, { size: 6, color: 'grayscale' })).images;
    expect(grey.shape).toEqual([6, 6, 1]);
    expect(grey.pixels.length).toBe(2 * 36);
    const [g] = pixelAt(grey.pixels, grey.shape, 0, 3, 3);
    expect(g).toBeGreaterThan(120); // green's luminance
    expect(g).toBeLessThan(190);
    expect(pixelAt(grey.pixels, grey.shape, 1, 3, 3)[0]).toBeGreaterThan(250);
  });

  it('decodes in parallel without changing the order', async () => {
    const one = await loadImageFolder(pets, { size: 8, concurrency: 1, log: () => {} });
    const many = await loadImageFolder(pets, { size: 8, concurrency: 16, log: () => {} });
    expect(Buffer.from(many.images.pixels).equals(Buffer.from(one.images.pixels))).toBe(true);
    expect(many.images.origins).toEqual(one.images.origins);
  });

  it('serves a second load from the memory cache, and decodes again a file that changed', async () => {
    const memoryCache = new MemoryImageCache();
    const first = await loadImageFolder(pets, { size: 8, memoryCache, log: () => {} });
    expect(first.stats).toEqual({ decoded: 19, memoryHits: 0, diskHits: 0 });
    const second = await loadImageFolder(pets, { size: 8, memoryCache, log: () => {} });
    expect(second.stats).toEqual({ decoded: 0, memoryHits: 19, diskHits: 0 });
    expect(Buffer.from(second.images.pixels).equals(Buffer.from(first.images.pixels))).toBe(true);
    // Other decode parameters are other entries.
    expect((await loadImageFolder(pets, { size: 8, color: 'grayscale', memoryCache, log: () => {} })).stats.decoded).toBe(19);
    const touched = path.join(pets, 'b_dog', '0.jpg');
    const later = new Date(Date.now() + 5000);
    await utimes(touched, later, later);
    expect((await loadImageFolder(pets, { size: 8, memoryCache, log: () => {} })).stats).toEqual({ decoded: 1, memoryHits: 18, diskHits: 0 });
  });

  it('keeps decoded pixels on disk for the next run, never inside the data folder', async () => {
    const { dir: cacheDir, remove } = await tempDir('disk-cache');
    try {
      const before = await snapshotTree(pets);
      const first = await loadImageFolder(pets, { size: 8, diskCache: cacheDir, log: () => {} });
      expect(first.stats.decoded).toBe(19);
      expect((await readdir(cacheDir)).filter((f) => f.endsWith('.px'))).toHaveLength(19);
      // A new process has an empty memory cache: the disk serves it.
      const second = await loadImageFolder(pets, { size: 8, diskCache: cacheDir, memoryCache: new MemoryImageCache(), log: () => {} });
      expect(second.stats).toEqual({ decoded: 0, memoryHits: 0, diskHits: 19 });
      expect(Buffer.from(second.images.pixels).equals(Buffer.from(first.images.pixels))).toBe(true);
      // A damaged entry is a miss, not an error.
      const [entry] = (await readdir(cacheDir)).filter((f) => f.endsWith('.px'));
      await writeFile(path.join(cacheDir, entry as string), 'garbage');
      expect((await loadImageFolder(pets, { size: 8, diskCache: cacheDir, log: () => {} })).stats).toEqual({ decoded: 1, memoryHits: 0, diskHits: 18 });
      expect(await snapshotTree(pets)).toEqual(before);
      await expect(loadImageFolder(pets, { size: 8, diskCache: path.join(pets, '.cache') })).rejects.toThrow(
        /is inside the image folder .* writes nothing into data folders/,
      );
    } finally {
      await remove();
    }
  });
});

describe('bad input', () => {
  let bad: string;
  beforeAll(async () => {
    bad = path.join(root, 'bad');
    await writeImage(path.join(bad, 'cats', 'good.jpg'), { width: 16, height: 16, color: RED });
    await writeImage(path.join(bad, 'cats', 'whole.jpg'), { width: 64, height: 64, color: (x, y) => [x * 4, y * 4, 90] });
    const whole = await readFile(path.join(bad, 'cats', 'whole.jpg'));
    await writeFile(path.join(bad, 'cats', 'truncated.jpg'), whole.subarray(0, Math.floor(whole.length / 2)));
    await writeImage(path.join(bad, 'dogs', 'good.png'), { width: 16, height: 16, color: BLUE });
    await writeFile(path.join(bad, 'dogs', 'text.png'), 'this is not a PNG');
  });

  it('names the file and the decoder reason for a truncated image', async () => {
    const error = await loadImageFolder(bad, { size: 8 }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      new RegExp(`Image ".*cats/truncated\\.jpg" could not be decoded \\(.*premature end of JPEG.*\\); remove it or set skipBadImages`, 'i'),
    );
  });

  it('skips bad images with skipBadImages: a warning each and a count', async () => {
    const warnings: string[] = [];
    const { images, skipped } = await loadImageFolder(bad, { size: 8, skipBadImages: true, log: (m) => warnings.push(m) });
    expect(images.labels.length).toBe(3);
    expect(images.origins?.map((o) => path.basename(o))).toEqual(['good.jpg', 'whole.jpg', 'good.png']);
    expect(skipped.map((s) => path.basename(s.file))).toEqual(['truncated.jpg', 'text.png']);
    expect(skipped[1]?.reason).toMatch(/unsupported image format/);
    expect(warnings.filter((w) => w.startsWith('Skipping image'))).toHaveLength(2);
  });

  it('rejects an empty class folder, a missing folder and a folder without classes, naming them', async () => {
    const dir = path.join(root, 'empty-class');
    await writeImage(path.join(dir, 'full', 'a.png'), { width: 4, height: 4, color: RED });
    await mkdir(path.join(dir, 'empty'), { recursive: true });
    await writeFile(path.join(dir, 'empty', 'notes.txt'), 'no images here');
    await expect(loadImageFolder(dir, { size: 4, log: () => {} })).rejects.toThrow(
      new RegExp(`Class folder ".*empty-class/empty" has no images .*add images to it or remove the folder`),
    );
    await expect(loadImageFolder(path.join(root, 'nope'), { size: 4 })).rejects.toThrow(/Image folder ".*nope" does not exist/);
    const flat = path.join(root, 'flat');
    await writeImage(path.join(flat, 'a.png'), { width: 4, height: 4, color: RED });
    await expect(loadImageFolder(flat, { size: 4, log: () => {} })).rejects.toThrow(/has no class folders; expected one folder per class/);
    await expect(loadImageFolder(pets, { size: 4, classNames: ['a_cat', 'horse'], log: () => {} })).rejects.toThrow(
      /has no class folder "horse"; its class folders are: Zebra, a_cat, b_dog\. It needs one for each class \(a_cat, horse\): add the missing folders\./,
    );
  });

  it('names a class by its folder in composed Unicode (NFC), and finds a decomposed folder (as macOS writes it) by that name', async () => {
    const composed = 'ñandú';
    const decomposed = composed.normalize('NFD');
    expect(decomposed).not.toBe(composed);
    const train = path.join(root, 'nfd-train');
    const test = path.join(root, 'nfc-test');
    await writeImage(path.join(train, decomposed, 'a.png'), { width: 4, height: 4, color: RED });
    await writeImage(path.join(train, 'b', 'a.png'), { width: 4, height: 4, color: BLUE });
    await writeImage(path.join(test, composed, 'a.png'), { width: 4, height: 4, color: RED });
    await writeImage(path.join(test, 'b', 'a.png'), { width: 4, height: 4, color: BLUE });
    const { images } = await loadImageFolder(train, { size: 4, log: () => {} });
    expect(images.classNames).toEqual(['b', composed]);
    const tested = await loadImageFolder(test, { size: 4, classNames: [decomposed, 'b'], log: () => {} });
    expect(tested.images.origins!.map((file, i) => `${file.split(path.sep).at(-2)!.normalize('NFC')}:${tested.images.labels[i]}`)).toEqual([`${composed}:0`, 'b:1']);
  });

  it('takes the class order from classNames when given', async () => {
    const { images } = await loadImageFolder(pets, { size: 4, classNames: ['b_dog', 'a_cat'], log: () => {} });
    expect(images.classNames).toEqual(['b_dog', 'a_cat']);
    expect(Array.from(images.labels)).toEqual([...Array(6).fill(0), ...Array(7).fill(1)]);
  });
});

describe('loadUnlabelledFolder', () => {
  it('reads a tree of images as unlabelled (labels -1)', async () => {
    const dir = path.join(root, 'unlabelled');
    await writeImage(path.join(dir, 'a.png'), { width: 12, height: 9, color: RED });
    await writeImage(path.join(dir, 'batch2', 'b.jpg'), { width: 9, height: 12, color: GREEN });
    await copyFile(path.join(pets, 'a_cat', '1.png'), path.join(dir, 'batch2', 'c.png'));
    const { images } = await loadUnlabelledFolder(dir, { size: 5, classNames: ['x', 'y'] });
    expect(images.shape).toEqual([5, 5, 3]);
    expect(Array.from(images.labels)).toEqual([-1, -1, -1]);
    expect(images.classNames).toEqual(['x', 'y']);
    expect(images.origins?.map((o) => path.relative(dir, o))).toEqual(['a.png', path.join('batch2', 'b.jpg'), path.join('batch2', 'c.png')]);
    const empty = path.join(root, 'no-images');
    await mkdir(empty, { recursive: true });
    await expect(loadUnlabelledFolder(empty, { size: 5 })).rejects.toThrow(/Unlabelled image folder ".*no-images" has no images/);
  });
});
