import { describe, expect, it } from 'vitest';
import { imageCacheKey, MemoryImageCache } from './memory-image-cache.js';

describe('MemoryImageCache', () => {
  it('evicts the least recently used entries past its byte budget', () => {
    const cache = new MemoryImageCache(30);
    cache.set('a', new Uint8Array(10));
    cache.set('b', new Uint8Array(10));
    cache.set('c', new Uint8Array(10));
    expect(cache.get('a')).toBeDefined(); // a is now the most recent
    cache.set('d', new Uint8Array(10));
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.size).toBe(3);
    expect(cache.bytes).toBe(30);
    cache.set('huge', new Uint8Array(31)); // larger than the whole budget: not kept
    expect(cache.get('huge')).toBeUndefined();
    expect(cache.size).toBe(3);
  });

  it('keys on path, size, mtime and decode parameters', () => {
    const keys = new Set([
      imageCacheKey('/a.jpg', 10, 1, '8x8x3'),
      imageCacheKey('/a.jpg', 11, 1, '8x8x3'),
      imageCacheKey('/a.jpg', 10, 2, '8x8x3'),
      imageCacheKey('/a.jpg', 10, 1, '8x8x1'),
      imageCacheKey('/b.jpg', 10, 1, '8x8x3'),
    ]);
    expect(keys.size).toBe(5);
  });
});
