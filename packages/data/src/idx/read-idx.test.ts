import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { isInputError } from '@frugal/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/fixtures.js';
import { idxBytes } from '../testing/idx-bytes.js';
import { readIdx } from './read-idx.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, remove: cleanup } = await tempDir('idx')));
afterAll(() => cleanup());

describe('readIdx', () => {
  it('reads raw and gzip-compressed files alike (told apart by content)', async () => {
    const bytes = idxBytes(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    await writeFile(path.join(dir, 'raw-idx3-ubyte'), bytes);
    await writeFile(path.join(dir, 'packed-idx3-ubyte.gz'), gzipSync(bytes));
    await writeFile(path.join(dir, 'gz-without-suffix'), gzipSync(bytes));
    for (const name of ['raw-idx3-ubyte', 'packed-idx3-ubyte.gz', 'gz-without-suffix']) {
      const idx = await readIdx(path.join(dir, name));
      expect(idx.type).toBe('ubyte');
      expect(idx.dims).toEqual([2, 2, 3]);
      expect(Array.from(idx.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    }
  });

  it('reads the wider big-endian types', async () => {
    const cases: [number, string, number[]][] = [
      [0x09, 'sbyte', [-128, 0, 127]],
      [0x0b, 'int16', [-300, 2, 30000]],
      [0x0c, 'int32', [-70000, 0, 1 << 30]],
      [0x0d, 'float32', [-1.5, 0.25, 3]],
      [0x0e, 'float64', [Math.PI, -1e-9, 42]],
    ];
    for (const [code, type, values] of cases) {
      const file = path.join(dir, `${type}.idx`);
      await writeFile(file, idxBytes(code, [3], values));
      const idx = await readIdx(file);
      expect(idx.type).toBe(type);
      expect(Array.from(idx.data)).toEqual(values);
    }
  });

  it('rejects a wrong magic number, naming the file and the value', async () => {
    const file = path.join(dir, 'not-idx.png');
    await writeFile(file, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0]));
    const error = await readIdx(file).catch((e: unknown) => e);
    expect(isInputError(error)).toBe(true);
    expect((error as Error).message).toContain(`IDX file "${file}" has magic number 0x89504e47`);
    const badType = path.join(dir, 'bad-type');
    await writeFile(badType, Buffer.from([0, 0, 0x07, 1, 0, 0, 0, 0]));
    await expect(readIdx(badType)).rejects.toThrow(/has magic number 0x00000701/);
  });

  it('rejects truncated files, saying how many bytes the header promised', async () => {
    const whole = idxBytes(0x08, [10, 4, 4], new Array(160).fill(7));
    const file = path.join(dir, 'short-idx3-ubyte');
    await writeFile(file, whole.subarray(0, 100));
    await expect(readIdx(file)).rejects.toThrow(
      new RegExp(`IDX file ".*short-idx3-ubyte" has 84 bytes of data, but its header \\(10×4×4 ubyte\\) says 160; the file is truncated`),
    );
    const header = path.join(dir, 'header-only');
    await writeFile(header, whole.subarray(0, 10));
    await expect(readIdx(header)).rejects.toThrow(/ends inside its header \(10 of 16 bytes\)/);
    const gz = path.join(dir, 'cut.gz');
    const packed = gzipSync(whole);
    await writeFile(gz, packed.subarray(0, packed.length - 12));
    await expect(readIdx(gz)).rejects.toThrow(/cut\.gz" is not a valid gzip stream/);
    await expect(readIdx(path.join(dir, 'missing'))).rejects.toThrow(/IDX file ".*missing" does not exist/);
    // A device never ends and a pipe waits for a writer: both are refused before a byte is read.
    await expect(readIdx('/dev/zero')).rejects.toThrow('IDX file "/dev/zero" is not a regular file (a device, a pipe or a socket)');
    const fifo = path.join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    await expect(readIdx(fifo)).rejects.toThrow(/pipe" is not a regular file/);
    await expect(readIdx(dir)).rejects.toThrow(/is a folder/);
  });
});
