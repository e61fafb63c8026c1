import { describe, expect, it } from 'vitest';
import { Rng } from '../rng.js';
import { stripes, streamedImages, type StreamLog } from '../testing/index.js';
import { concat, subset } from './image-set.js';
import { TaskBatches } from './task-batches.js';
import { TaskImages, type ReadImages } from './task-images.js';

const unlabelled = stripes(700, 2);
const labelled = stripes(9, 3);
const size = 8 * 8;

async function readLists(images: TaskImages, lists: Int32Array[]): Promise<ReadImages[]> {
  const out: ReadImages[] = [];
  for await (const read of images.read(lists)) out.push(read);
  return out;
}

/** Lists of 50 indices over the joined set, with repeats, labelled images among them. */
function someLists(count: number): Int32Array[] {
  const rng = new Rng(5);
  return Array.from({ length: 20 }, () => Int32Array.from({ length: 50 }, () => rng.int(0, count)));
}

describe('TaskImages', () => {
  it('reads the unlabelled images, then the labelled ones, as concat would hold them, streamed or in memory', async () => {
    const joined = concat(unlabelled, labelled);
    const log: StreamLog = { decoded: 0, largestBatch: 0 };
    const streamed = new TaskImages(streamedImages(unlabelled, log), labelled);
    const inMemory = new TaskImages(unlabelled, labelled);
    expect(streamed.count).toBe(709);
    const lists = someLists(709);
    for (const images of [streamed, inMemory]) {
      const read = await readLists(images, lists);
      read.forEach((r, i) => {
        expect(Array.from(r.kept)).toEqual(Array.from({ length: 50 }, (_, k) => k));
        expect(Buffer.from(r.pixels).equals(Buffer.from(subset(joined, lists[i] as Int32Array).pixels))).toBe(true);
      });
    }
    // the stream is asked for the unlabelled images of the lists alone, a few hundred at a time
    const fromStream = lists.reduce((sum, list) => sum + list.filter((j) => j < 700).length, 0);
    expect(log.decoded).toBe(fromStream);
    expect(log.largestBatch).toBeLessThanOrEqual(256);
  });

  it('leaves out, position by position, the images a stream could not decode', async () => {
    const bad = new Set([3, 250, 699]);
    const images = new TaskImages(streamedImages(unlabelled, undefined, bad), labelled);
    const lists = [Int32Array.from([3, 703, 4, 3]), Int32Array.from([699, 250, 251, 700]), ...someLists(709)];
    const read = await readLists(images, lists);
    expect(Array.from(read[0]!.kept)).toEqual([1, 2]);
    expect(Array.from(read[1]!.kept)).toEqual([2, 3]);
    read.forEach((r, i) => {
      const list = lists[i] as Int32Array;
      const expected = Array.from(list.keys()).filter((k) => !bad.has(list[k] as number));
      expect(Array.from(r.kept)).toEqual(expected);
      const joined = concat(unlabelled, labelled);
      expect(Buffer.from(r.pixels).equals(Buffer.from(subset(joined, expected.map((k) => list[k] as number)).pixels))).toBe(true);
    });
  });

  it('decodes little further than its reader asks, and refuses an index outside the set', async () => {
    const log: StreamLog = { decoded: 0, largestBatch: 0 };
    const images = new TaskImages(streamedImages(unlabelled, log), labelled);
    for await (const read of images.read(someLists(700))) {
      expect(read.kept.length).toBe(50);
      break;
    }
    expect(log.decoded).toBeLessThan(1000);
    await expect(readLists(images, [Int32Array.from([709])])).rejects.toThrow(/image 709 of a set of 709/);
  });
});

describe('TaskBatches', () => {
  it("gives each epoch's steps the same images, in memory or streamed, and a resumed epoch the rest of them", async () => {
    const rows = async (images: TaskImages, epoch: number, skip = 0) => {
      const picked = [5, 9, 100, 200, 300, 400, 650, 701, 704, 708];
      const source = new TaskBatches(images, picked.length, {
        batchSize: 4,
        shuffle: { rng: new Rng(7) },
        imageOf: (item) => picked[item] as number,
        batch: (items, pixels) => ({ items: Array.from(items), first: Array.from(pixels.subarray(0, 3)), rows: pixels.length / size }) as never,
      });
      expect(source.stepsPerEpoch).toBe(3);
      const out: unknown[] = [];
      for await (const batch of source.batches(epoch, skip)) out.push(batch);
      return out;
    };
    const inMemory = await rows(new TaskImages(unlabelled, labelled), 2);
    expect(await rows(new TaskImages(streamedImages(unlabelled), labelled), 2)).toEqual(inMemory);
    expect(await rows(new TaskImages(unlabelled, labelled), 2, 1)).toEqual(inMemory.slice(1));
    expect(await rows(new TaskImages(unlabelled, labelled), 3)).not.toEqual(inMemory);
    expect((inMemory as { rows: number }[]).map((b) => b.rows)).toEqual([4, 4, 2]);
  });
});
