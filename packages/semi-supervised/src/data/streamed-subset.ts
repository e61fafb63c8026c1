import { subset, type ImageSet, type StreamedBatch, type StreamedImageSet } from '@frugal/core';

/**
 * The images `indices` of a streamed set (an index may repeat), as a streamed set of their own:
 * image `i` is `set`'s image `indices[i]`. Nothing is decoded until it is read.
 */
export function streamedSubset(set: StreamedImageSet, indices: Int32Array): StreamedImageSet {
  const parentOf = (i: number): number => {
    const j = indices[i];
    if (j === undefined) throw new RangeError(`Image ${i} of a subset of ${indices.length} images`);
    return j;
  };
  return {
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
    load: async (): Promise<ImageSet> => subset(await set.load(), indices),
  };
}
