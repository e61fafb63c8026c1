import { subset } from '../data/image-set.js';
import type { ImageSet, StreamedBatch, StreamedImageSet } from '../types.js';

/** The file name of image `i` of a test stream. */
const fileName = (i: number) => `u${String(i).padStart(4, '0')}.png`;

/** What a test stream saw: the images it decoded, and the most it handed out in one batch. */
export interface StreamLog {
  decoded: number;
  largestBatch: number;
}

/**
 * An in-memory image set served as a `StreamedImageSet`, as a folder would be: batches of the
 * images asked for, the images `bad` left out of them as a folder with `skipBadImages` leaves out
 * those that do not decode; `load()` fails, so a test shows that nothing loaded the set whole.
 */
export function streamedImages(
  set: ImageSet,
  log: StreamLog = { decoded: 0, largestBatch: 0 },
  bad: ReadonlySet<number> = new Set(),
): StreamedImageSet & { log: StreamLog } {
  const n = set.labels.length;
  return {
    log,
    shape: set.shape,
    count: n,
    classNames: set.classNames,
    dir: '/test/unlabelled',
    file: fileName,
    async *read(indices, options): AsyncGenerator<StreamedBatch> {
      const order = Int32Array.from(indices as ArrayLike<number>);
      for (let start = 0; start < order.length; start += options.batchSize) {
        const asked = order.slice(start, start + options.batchSize);
        const part = asked.filter((i) => !bad.has(i));
        await new Promise((resolve) => setImmediate(resolve));
        log.decoded += part.length;
        log.largestBatch = Math.max(log.largestBatch, part.length);
        const skipped = Array.from(asked.filter((i) => bad.has(i)), (i) => ({ file: fileName(i), reason: 'corrupt' }));
        yield { indices: part, pixels: subset(set, part).pixels, skipped };
      }
    },
    load: () => Promise.reject(new Error('the streamed set was loaded whole')),
  };
}
