import { FrugalInputError } from '../errors.js';
import type { ImageSet, StreamedBatch, StreamedImageSet } from '../types.js';

/** Images a subset's `load` decodes at once. */
const LOAD_BATCH = 256;

/**
 * The images `indices` of a streamed set (an index may repeat), as a streamed set of their own:
 * image `i` is `set`'s image `indices[i]`. Nothing is decoded until it is read, and `load` decodes
 * these images alone, not the whole set.
 */
export function streamedSubset(set: StreamedImageSet, indices: Int32Array): StreamedImageSet {
  const parentOf = (i: number): number => {
    const j = indices[i];
    if (j === undefined) throw new RangeError(`Image ${i} of a subset of ${indices.length} images`);
    return j;
  };
  const view: StreamedImageSet = {
    shape: set.shape,
    count: indices.length,
    classNames: set.classNames,
    dir: set.dir,
    file: (i) => set.file(parentOf(i)),
    async *read(order, options): AsyncGenerator<StreamedBatch> {
      const wanted = Int32Array.from(order as ArrayLike<number>);
      const parents = Int32Array.from(wanted, parentOf);
      let at = 0;
      for await (const batch of set.read(parents, options)) {
        // The batch holds, in order, the images of the next `batchSize` asked for that decoded.
        const end = Math.min(wanted.length, at + options.batchSize);
        const mine = new Int32Array(batch.indices.length);
        let k = 0;
        for (let p = at; p < end && k < mine.length; p++) if (parents[p] === batch.indices[k]) mine[k++] = wanted[p] as number;
        at = end;
        yield { indices: mine, pixels: batch.pixels, skipped: batch.skipped };
      }
    },
    load: () => loadStreamed(view),
  };
  return view;
}

/** Every image of `set` in memory, unlabelled (-1), decoded a batch at a time; images that do not decode are left out where the set skips them. */
async function loadStreamed(set: StreamedImageSet): Promise<ImageSet> {
  const [h, w, c] = set.shape;
  const size = h * w * c;
  const pixels = new Uint8Array(set.count * size);
  const kept: number[] = [];
  for await (const batch of set.read(Int32Array.from({ length: set.count }, (_, i) => i), { batchSize: LOAD_BATCH })) {
    pixels.set(batch.pixels, kept.length * size);
    kept.push(...batch.indices);
  }
  if (kept.length === 0) {
    throw new FrugalInputError(`Unlabelled image folder "${set.dir}": none of the ${set.count} images chosen from it could be decoded; check that they are image files`);
  }
  return {
    shape: set.shape,
    pixels: kept.length === set.count ? pixels : pixels.slice(0, kept.length * size),
    labels: new Int32Array(kept.length).fill(-1),
    classNames: set.classNames,
    origins: kept.map((i) => `${set.dir}/${set.file(i)}`),
  };
}
