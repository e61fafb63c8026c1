import type { DecodeParams } from '../image/decode-options.js';
import type { ManifestEntry } from './manifest-entry.js';

/** What a decoding thread is asked: decode these files of a folder, in order, into one buffer. */
export interface DecodeBatchTask {
  readonly root: string;
  readonly entries: readonly ManifestEntry[];
  readonly params: DecodeParams;
  /** `decodeParamsKey(params)`: part of every disk-cache key. */
  readonly paramsKey: string;
  /** A folder of decoded pixels (the disk image cache) to read from and fill. */
  readonly cacheDir?: string;
}

/** What comes back: the pixels of the images that decoded, and the reason for each that did not. */
export interface DecodeBatchResult {
  /** `entries.length × height × width × channels` bytes; a failed image's bytes are zero. */
  readonly pixels: Uint8Array;
  /** 1 where the image decoded. */
  readonly ok: Uint8Array;
  readonly failures: { readonly index: number; readonly reason: string }[];
  /** Images read from the disk cache rather than decoded. */
  readonly cacheHits: number;
}
