import { describe, expect, it } from 'vitest';
import { FrugalInputError } from '../errors.js';
import type { StreamedBatch, StreamedImageSet } from '../types.js';
import { streamedSubset } from './streamed-subset.js';

/** A folder of `count` 1×1 grey images, image i of value i, where the images in `bad` do not decode (and are skipped). */
function folder(count: number, bad: readonly number[] = []) {
  const decoded: number[] = [];
  const set: StreamedImageSet = {
    shape: [1, 1, 1],
    count,
    classNames: ['a', 'b'],
    dir: '/photos',
    file: (i) => `img-${i}.png`,
    async *read(indices, { batchSize }): AsyncGenerator<StreamedBatch> {
      const order = Array.from(indices);
      for (let at = 0; at < order.length; at += batchSize) {
        const asked = order.slice(at, at + batchSize);
        decoded.push(...asked);
        const good = asked.filter((i) => !bad.includes(i));
        yield { indices: Int32Array.from(good), pixels: Uint8Array.from(good), skipped: asked.filter((i) => bad.includes(i)).map((i) => ({ file: `img-${i}.png`, reason: 'corrupt' })) };
      }
    },
    load: () => Promise.reject(new Error('the whole folder was loaded')),
  };
  return { set, decoded };
}

async function readAll(set: StreamedImageSet, order: number[], batchSize: number) {
  const out: number[][] = [];
  for await (const batch of set.read(order, { batchSize })) out.push([...batch.indices].flatMap((i, k) => [i, batch.pixels[k] as number]));
  return out;
}

describe('streamedSubset', () => {
  it("reads image i as the set's image indices[i], an index repeated or skipped as the set does", async () => {
    const { set } = folder(10, [7]);
    const view = streamedSubset(set, Int32Array.from([9, 7, 2, 2]));
    expect([view.count, view.file(1), view.dir]).toEqual([4, 'img-7.png', '/photos']);
    // [subset index, pixel] pairs per batch of 2: image 1 (the folder's 7) does not decode.
    expect(await readAll(view, [0, 1, 2, 3], 2)).toEqual([[0, 9], [2, 2, 3, 2]]);
    expect(() => view.file(4)).toThrow(RangeError);
  });

  it('loads only its own images, unlabelled, leaving out those that do not decode', async () => {
    const { set, decoded } = folder(1000, [500]);
    const view = streamedSubset(set, Int32Array.from([3, 500, 999]));
    const images = await view.load();
    expect(decoded).toEqual([3, 500, 999]);
    expect([...images.pixels]).toEqual([3, 999 % 256]);
    expect([...images.labels]).toEqual([-1, -1]);
    expect(images.origins).toEqual(['/photos/img-3.png', '/photos/img-999.png']);
  });

  it('refuses to load a subset none of whose images decode, naming the folder', async () => {
    const { set } = folder(5, [1, 2]);
    const load = streamedSubset(set, Int32Array.from([1, 2])).load();
    await expect(load).rejects.toThrow(FrugalInputError);
    await expect(load).rejects.toThrow('Unlabelled image folder "/photos": none of the 2 images chosen from it could be decoded; check that they are image files');
  });
});
