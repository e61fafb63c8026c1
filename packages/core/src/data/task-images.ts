import type { ImageSet, StreamedImageSet } from '../types.js';
import { isStreamed } from './image-set.js';

/** Images a streamed folder decodes at a time. */
const READ_BATCH = 256;

/** The images of one list that could be read. */
export interface ReadImages {
  /** Their pixels, one image after another (uint8 HWC). */
  readonly pixels: Uint8Array;
  /** Their positions in the list: all of them, unless a streamed image could not be decoded (with `skipBadImages`). */
  readonly kept: Int32Array;
}

/**
 * The images a task reads without their labels, as one indexed set: the run's unlabelled images
 * (in memory, or read from disk in batches), then its labelled ones. It holds what
 * `concat(unlabelled, labelled)` would, without ever holding a streamed folder in memory.
 */
export class TaskImages {
  readonly count: number;
  readonly shape: ImageSet['shape'];
  private readonly firstCount: number;

  constructor(
    private readonly first: ImageSet | StreamedImageSet | undefined,
    private readonly rest: ImageSet,
  ) {
    if (first && first.shape.join('x') !== rest.shape.join('x')) {
      throw new Error(`TaskImages: unlabelled images are ${first.shape.join('×')}, labelled ${rest.shape.join('×')}`);
    }
    this.firstCount = !first ? 0 : isStreamed(first) ? first.count : first.labels.length;
    this.count = this.firstCount + rest.labels.length;
    this.shape = rest.shape;
  }

  /**
   * The images of each list of `lists` (indices into this set), list after list. Images of a
   * streamed folder are decoded in worker threads a few hundred ahead of the list in use, and only
   * those are in memory.
   */
  async *read(lists: readonly ArrayLike<number>[]): AsyncGenerator<ReadImages> {
    const [h, w, c] = this.shape;
    const size = h * w * c;
    const { first, firstCount, rest } = this;
    const decoded = first && isStreamed(first) ? inOrder(first, streamedPart(lists, firstCount), size) : undefined;
    try {
      for (const list of lists) {
        const pixels = new Uint8Array(list.length * size);
        const kept: number[] = [];
        for (let i = 0; i < list.length; i++) {
          const j = list[i] as number;
          if (!(j >= 0 && j < this.count)) throw new RangeError(`TaskImages: image ${j} of a set of ${this.count}`);
          let image: Uint8Array | undefined;
          if (j >= firstCount) image = rest.pixels.subarray((j - firstCount) * size, (j - firstCount + 1) * size);
          else if (decoded) image = (await decoded.next()).value ?? undefined;
          else image = (first as ImageSet).pixels.subarray(j * size, (j + 1) * size);
          if (!image) continue;
          pixels.set(image, kept.length * size);
          kept.push(i);
        }
        yield { pixels: kept.length === list.length ? pixels : pixels.slice(0, kept.length * size), kept: Int32Array.from(kept) };
      }
    } finally {
      await decoded?.return(undefined);
    }
  }
}

/** The indices below `firstCount` of every list, one list after another: what the streamed folder is asked for. */
function streamedPart(lists: readonly ArrayLike<number>[], firstCount: number): Int32Array {
  const order: number[] = [];
  for (const list of lists) for (let i = 0; i < list.length; i++) if ((list[i] as number) < firstCount) order.push(list[i] as number);
  return Int32Array.from(order);
}

/**
 * Each position of `order` as its image's pixels, or undefined where the image could not be
 * decoded (with `skipBadImages`). A read batch covers `READ_BATCH` positions of `order` and leaves
 * out those it could not decode, keeping the rest in order.
 */
async function* inOrder(set: StreamedImageSet, order: Int32Array, size: number): AsyncGenerator<Uint8Array | undefined> {
  let position = 0;
  for await (const batch of set.read(order, { batchSize: READ_BATCH })) {
    const end = Math.min(position + READ_BATCH, order.length);
    for (let k = 0; position < end; position++) {
      const found = k < batch.indices.length && batch.indices[k] === order[position];
      yield found ? batch.pixels.subarray(k * size, (k + 1) * size) : undefined;
      if (found) k++;
    }
  }
}
