import { subset, type ImageSet, type StreamedBatch, type StreamedImageSet } from '@frugal/core';

/** What a test stream saw: the images it decoded, and the most it handed out in one batch. */
export interface StreamLog {
  decoded: number;
  largestBatch: number;
}

/**
 * An in-memory image set served as a `StreamedImageSet`, as a folder would be: batches of the
 * images asked for; `load()` fails, so a test shows that nothing loaded the set whole.
 */
export function streamedImages(set: ImageSet, log: StreamLog = { decoded: 0, largestBatch: 0 }): StreamedImageSet & { log: StreamLog } {
  const n = set.labels.length;
  return {
    log,
    shape: set.shape,
    count: n,
    classNames: set.classNames,
    dir: '/test/unlabelled',
    file: (i) => `u${String(i).padStart(4, '0')}.png`,
    async *read(indices, options): AsyncGenerator<StreamedBatch> {
      const order = Int32Array.from(indices as ArrayLike<number>);
      for (let start = 0; start < order.length; start += options.batchSize) {
        const part = order.slice(start, start + options.batchSize);
        await new Promise((resolve) => setImmediate(resolve));
        log.decoded += part.length;
        log.largestBatch = Math.max(log.largestBatch, part.length);
        yield { indices: part, pixels: subset(set, part).pixels, skipped: [] };
      }
    },
    load: () => Promise.reject(new Error('the streamed set was loaded whole')),
  };
}
