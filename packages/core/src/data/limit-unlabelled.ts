import type { Rng } from '../rng.js';
import type { ImageSet, StreamedImageSet } from '../types.js';
import { subset } from './image-set.js';
import { streamedSubset } from './streamed-subset.js';

/** A run's unlabelled images: those held in memory, then those read from a folder. */
export interface UnlabelledImages {
  readonly memory?: ImageSet | undefined;
  readonly stream?: StreamedImageSet | undefined;
}

/**
 * At most `limit` of the unlabelled images, those in memory and those of the folder counted as one
 * list: a random subset drawn by `rng` (never by label, which unlabelled images may not have), in
 * image order. Nothing of the folder is decoded here.
 */
export function limitUnlabelled(images: UnlabelledImages, limit: number, rng: Rng): UnlabelledImages {
  const held = images.memory?.labels.length ?? 0;
  const total = held + (images.stream?.count ?? 0);
  if (limit >= total) return images;
  const chosen = rng.permutation(total).slice(0, limit).sort();
  const firstStreamed = chosen.findIndex((i) => i >= held);
  const inMemory = firstStreamed === -1 ? chosen : chosen.subarray(0, firstStreamed);
  const inStream = firstStreamed === -1 ? new Int32Array(0) : Int32Array.from(chosen.subarray(firstStreamed), (i) => i - held);
  return {
    memory: images.memory && inMemory.length ? subset(images.memory, inMemory) : undefined,
    stream: images.stream && inStream.length ? streamedSubset(images.stream, inStream) : undefined,
  };
}
