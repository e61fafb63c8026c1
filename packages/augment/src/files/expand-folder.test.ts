import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isInputError } from '@frugal/core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPipeline } from '../pipeline/build.js';
import { frugalWithAugment, useCpu } from '../test-utils.js';
import { expandFolder } from './expand-folder.js';

let root: string;
let source: string;

async function writeImage(file: string, width: number, height: number, seed: number): Promise<void> {
  const pixels = Buffer.from(Array.from({ length: width * height * 3 }, (_, i) => (i * 37 + seed * 101) % 256));
  await sharp(pixels, { raw: { width, height, channels: 3 } }).toFile(file);
}

/** Every file under `dir` with a hash of its bytes. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    out[path.slice(dir.length)] = createHash('sha256').update(await readFile(path)).digest('hex');
  }
  return out;
}

beforeAll(async () => {
  await useCpu();
  root = await mkdtemp(join(tmpdir(), 'frugal-augment-'));
  source = join(root, 'photos');
  await mkdir(join(source, 'cats'), { recursive: true });
  await mkdir(join(source, 'dogs'), { recursive: true });
  await writeImage(join(source, 'cats', 'a.png'), 12, 10, 1);
  await writeImage(join(source, 'cats', 'b.jpg'), 9, 9, 2);
  await writeImage(join(source, 'dogs', 'c.png'), 16, 8, 3);
  await writeFile(join(source, 'dogs', 'notes.txt'), 'not an image');
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('expandFolder', () => {
  it('writes K augmented copies of every image into a new folder, mirroring subfolders, never touching the source', async () => {
    const before = await snapshot(source);
    const target = join(root, 'expanded');
    const augmentation = buildPipeline(frugalWithAugment(), [{ op: 'rotate', degrees: 20 }, 'flip']);
    const result = await expandFolder({ source, target, copies: 3, augmentation, seed: 1 });
    expect(result.images).toBe(3);
    expect(result.written.sort()).toEqual(
      ['cats/a_aug1.png', 'cats/a_aug2.png', 'cats/a_aug3.png', 'cats/b_aug1.jpg', 'cats/b_aug2.jpg', 'cats/b_aug3.jpg', 'dogs/c_aug1.png', 'dogs/c_aug2.png', 'dogs/c_aug3.png'].sort(),
    );
    const meta = await sharp(join(target, 'dogs', 'c_aug2.png')).metadata();
    expect([meta.width, meta.height, meta.format]).toEqual([16, 8, 'png']);
    expect((await sharp(join(target, 'cats', 'b_aug1.jpg')).metadata()).format).toBe('jpeg');
    // The copies of one image differ from each other.
    const copies = await Promise.all([1, 2, 3].map((k) => readFile(join(target, 'cats', `a_aug${k}.png`))));
    expect(new Set(copies.map((c) => c.toString('base64'))).size).toBe(3);
    expect(await snapshot(source)).toEqual(before);
  });

  it('gives the same files for the same seed', async () => {
    const augmentation = buildPipeline(frugalWithAugment(), ['rand-m9-n2']);
    const a = join(root, 'seed-a');
    const b = join(root, 'seed-b');
    await expandFolder({ source, target: a, copies: 2, augmentation, seed: 4 });
    await expandFolder({ source, target: b, copies: 2, augmentation, seed: 4 });
    expect(Object.values(await snapshot(a))).toEqual(Object.values(await snapshot(b)));
  });

  it('refuses a target inside the source, a non-empty target, and batch-level ops', async () => {
    const augmentation = buildPipeline(frugalWithAugment(), ['flip']);
    await expect(expandFolder({ source, target: join(source, 'more'), copies: 1, augmentation })).rejects.toThrow(/overlaps the source folder/);
    await expect(expandFolder({ source, target: root, copies: 1, augmentation })).rejects.toThrow(/overlaps the source folder/);
    const used = join(root, 'used');
    await mkdir(used);
    await writeFile(join(used, 'x.txt'), 'x');
    await expect(expandFolder({ source, target: used, copies: 1, augmentation })).rejects.toThrow(/is not empty; choose a new folder or pass overwrite: true/);
    const mixing = buildPipeline(frugalWithAugment(), ['mixup']);
    await expect(expandFolder({ source, target: join(root, 'mix'), copies: 1, augmentation: mixing })).rejects.toThrow(/leave batch-level ops out/);
  });

  it('names an unreadable image, or skips it when asked', async () => {
    const broken = join(root, 'broken');
    await mkdir(broken);
    await writeImage(join(broken, 'good.png'), 4, 4, 1);
    await writeFile(join(broken, 'bad.jpg'), 'this is not a jpeg');
    const augmentation = buildPipeline(frugalWithAugment(), ['flip']);
    const error = await expandFolder({ source: broken, target: join(root, 'out-1'), copies: 1, augmentation }).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toMatch(/^Image "bad.jpg" could not be decoded \(.*\); remove it or pass skipBadImages/);
    const result = await expandFolder({ source: broken, target: join(root, 'out-2'), copies: 1, augmentation, skipBadImages: true });
    expect(result.written).toEqual(['good_aug1.png']);
    expect(result.skipped.map((s) => s.file)).toEqual(['bad.jpg']);
  });
});
