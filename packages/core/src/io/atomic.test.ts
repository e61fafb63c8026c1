import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic, writeNewFileAtomic } from './atomic.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('writeNewFileAtomic', () => {
  it('writes a file that does not exist, in a folder it makes, and leaves nothing else behind', async () => {
    await writeNewFileAtomic(join(root, 'new', 'a.csv'), 'file,class\n');
    expect(readFileSync(join(root, 'new', 'a.csv'), 'utf8')).toBe('file,class\n');
    expect(readdirSync(join(root, 'new'))).toEqual(['a.csv']);
  });

  it('refuses with EEXIST to replace a file that exists, which keeps its bytes', async () => {
    writeFileSync(join(root, 'typed.csv'), 'file,class\na.png,cat\n');
    await expect(writeNewFileAtomic(join(root, 'typed.csv'), 'file,class\n')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(join(root, 'typed.csv'), 'utf8')).toBe('file,class\na.png,cat\n');
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('names the file it was asked to write when it cannot, not its temporary file, and leaves none behind', async () => {
    const folder = join(root, 'a-folder');
    mkdirSync(join(folder, 'inside'), { recursive: true });
    const error = await writeFileAtomic(folder, 'data').catch((e: NodeJS.ErrnoException) => e);
    expect(error).toMatchObject({ path: folder });
    expect((error as Error).message).not.toMatch(/\.tmp/);
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
