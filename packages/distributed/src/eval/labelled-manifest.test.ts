import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLabelledManifest } from './labelled-manifest.js';

let root: string;
/** A folder of class folders, each holding `count` (empty, but image-named) files. */
function folder(name: string, classes: readonly string[], count = 2): string {
  const dir = join(root, name);
  for (const c of classes) {
    mkdirSync(join(dir, c), { recursive: true });
    for (let i = 0; i < count; i++) writeFileSync(join(dir, c, `${i}.png`), '');
  }
  return dir;
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'frugal-labelled-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('readLabelledManifest', () => {
  it("labels each image with the model's class of its folder's name; some classes may be absent", async () => {
    const manifest = await readLabelledManifest(folder('named', ['dog', 'cat']), ['cat', 'dog', 'horse']);
    expect(manifest.entries.map((e) => e.path)).toEqual(['cat/0.png', 'cat/1.png', 'dog/0.png', 'dog/1.png']);
    expect(manifest.labels).toEqual([0, 0, 1, 1]);
    expect(manifest.matchedByPosition).toBeUndefined();
  });

  it('matches a decomposed folder name (as macOS writes it) to the composed class name', async () => {
    const manifest = await readLabelledManifest(folder('nfd', ['ñandú'.normalize('NFD'), 'cat']), ['cat', 'ñandú']);
    expect(manifest.labels).toEqual([0, 0, 1, 1]);
    expect(manifest.matchedByPosition).toBeUndefined();
  });

  it("matches folders named otherwise to the model's classes in order, and says so", async () => {
    // As ImageNet's synset folders, sorted, match a converted model's class indices.
    const manifest = await readLabelledManifest(folder('synsets', ['n02', 'n01', 'n03'], 1), ['0', '1', '2']);
    expect(manifest.entries.map((e) => e.path)).toEqual(['n01/0.png', 'n02/0.png', 'n03/0.png']);
    expect(manifest.labels).toEqual([0, 1, 2]);
    expect(manifest.matchedByPosition).toMatch(/\(n01, n02, n03\) are not named as the model's classes \(0, 1, 2\); they are matched to them in order/);
  });

  it('refuses a folder that is not a class when the others are, or when the counts differ', async () => {
    await expect(readLabelledManifest(folder('mixed', ['cat', 'horse']), ['cat', 'dog'])).rejects.toThrow(
      /Folder "horse" in ".*mixed" is not a class of the model \(its classes: cat, dog\); rename or remove it, or give one folder per class of the model \(2\)/,
    );
    const many = Array.from({ length: 12 }, (_, i) => `c${i}`);
    await expect(readLabelledManifest(folder('fewer', ['a', 'b']), many)).rejects.toThrow(/its classes: c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, … \(12 in all\)/);
  });

  it('refuses an image outside a class folder, and a folder without images', async () => {
    const loose = folder('loose', ['cat']);
    writeFileSync(join(loose, 'stray.png'), '');
    await expect(readLabelledManifest(loose, ['cat'])).rejects.toThrow(/Image "stray\.png" sits directly in the evaluation folder/);
    mkdirSync(join(root, 'empty'));
    await expect(readLabelledManifest(join(root, 'empty'), ['cat'])).rejects.toThrow(/has no images/);
  });
});
