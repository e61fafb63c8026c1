import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDir } from './make-dir.js';

const root = mkdtempSync(join(tmpdir(), 'frugal-make-dir-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('makeDir', () => {
  it('makes the missing folders and returns the first it made, as mkdir -p', async () => {
    expect(await makeDir(join(root, 'a', 'b', 'c'))).toBe(join(root, 'a'));
    expect(existsSync(join(root, 'a', 'b', 'c'))).toBe(true);
    expect(await makeDir(join(root, 'a', 'b'))).toBeUndefined();
  });

  it('refuses a folder under a file with the system\'s error', async () => {
    writeFileSync(join(root, 'file'), '');
    await expect(makeDir(join(root, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });

  it('refuses a folder the system will not make under one that exists, where Node\'s recursive mkdir never returns', async () => {
    // /proc exists on every Linux machine, and says "no such file" to a new folder in it.
    if (!existsSync('/proc/self')) throw new Error('this test needs Linux\'s /proc');
    await expect(makeDir('/proc/frugal-run/x')).rejects.toThrow('cannot make the folder /proc/frugal-run: /proc takes no new folders; choose another path');
  });
});
