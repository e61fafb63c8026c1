/** Decoded pixels by a key that names the file, its size and its decoding (see @frugal/data's `imageCacheKey`). */
export interface ImageCache {
  get(key: string): Uint8Array | undefined;
  set(key: string, pixels: Uint8Array): void;
}

/** Core's default: keeps nothing. */
export const noImageCache: ImageCache = {
  get: () => undefined,
  set: () => undefined,
};
