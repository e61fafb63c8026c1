import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ignoredNotice, listClassFolders, listImages } from './list-images.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-list-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function tree(name: string, files: string[]): string {
  const dir = join(root, name);
  for (const f of files) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), 'x');
  }
  return dir;
}

describe('listClassFolders', () => {
  it('does not follow a symlink loop, nor count a class twice through a link into the folder', async () => {
    const dir = tree('loop', ['a/1.png', 'a/2.png', 'b/1.png', 'b/2.png']);
    symlinkSync('..', join(dir, 'a', 'up'));
    symlinkSync(join(dir, 'b'), join(dir, 'a', 'b-again'));
    const listing = await listClassFolders(dir);
    expect(listing.files).toHaveLength(4);
    expect(listing.labels).toEqual([0, 0, 1, 1]);
    expect(listing.ignored.join()).toMatch(/a\/up \(a link to a folder already read; not followed\)/);
  });

  it('names a folder that is a loop of symbolic links as one, not as missing', async () => {
    const loop = join(root, 'self-loop');
    symlinkSync('self-loop', loop);
    await expect(listClassFolders(loop)).rejects.toThrow(`Image folder "${loop}" is a loop of symbolic links; fix the link, or give the folder itself`);
  });

  it('says why each file was left out: not an image by name, or an image outside the class folders', async () => {
    const dir = tree('loose', ['a/1.png', 'b/1.png', 'loose.png', 'notes.txt']);
    const listing = await listClassFolders(dir);
    expect(ignoredNotice(dir, listing.ignored)).toBe(
      `Ignored 2 files under "${dir}": loose.png (an image outside the class folders), notes.txt (not an image by name)`,
    );
  });

  it('follows a link to images outside the folder once', async () => {
    const outside = tree('outside', ['x.png', 'y.png']);
    const dir = tree('linked', ['a/1.png', 'b/1.png']);
    symlinkSync(outside, join(dir, 'a', 'more'));
    symlinkSync(outside, join(dir, 'a', 'more-again'));
    const listing = await listClassFolders(dir);
    expect(listing.files.filter((f) => f.includes(join('a', 'more')))).toHaveLength(2);
    expect(listing.files).toHaveLength(4);
  });
});

describe('listImages', () => {
  it('terminates on a folder linking to itself', async () => {
    const dir = tree('self', ['1.png']);
    symlinkSync('.', join(dir, 'me'));
    expect((await listImages(dir)).files).toHaveLength(1);
  });
});
