import { describe, expect, it } from 'vitest';
import { idxBytes, tinyIdxPair } from '../testing/idx-bytes.js';
import { idxImageSet } from './idx-image-set.js';
import { parseIdx } from './read-idx.js';

const classes = ['a', 'b', 'c'];

describe('idxImageSet', () => {
  it('pairs images and labels into an image set', () => {
    const { images, labels } = tinyIdxPair(5, 3, 2, 3);
    const set = idxImageSet(parseIdx(images, 'img'), parseIdx(labels, 'lab'), classes);
    expect(set.shape).toEqual([3, 2, 1]);
    expect(Array.from(set.labels)).toEqual([0, 1, 2, 0, 1]);
    expect(set.pixels.length).toBe(30);
    expect(set.origins?.[4]).toBe('img#4');
  });

  it('keeps a channel dimension when the file has one', () => {
    const images = parseIdx(idxBytes(0x08, [2, 2, 2, 3], new Array(24).fill(1)), 'rgb');
    const set = idxImageSet(images, parseIdx(idxBytes(0x08, [2], [0, 2]), 'lab'), classes);
    expect(set.shape).toEqual([2, 2, 3]);
  });

  it('rejects an image/label count mismatch, naming both files and counts', () => {
    const { images } = tinyIdxPair(5, 3, 2, 3);
    const labels = idxBytes(0x08, [4], [0, 1, 2, 0]);
    expect(() => idxImageSet(parseIdx(images, 'train-images'), parseIdx(labels, 'train-labels'), classes)).toThrow(
      'IDX files do not match: "train-images" has 5 images but "train-labels" has 4 labels',
    );
  });

  it('rejects a label out of range, naming the file, the value and where it is', () => {
    const { images } = tinyIdxPair(3, 2, 2, 3);
    const labels = idxBytes(0x08, [3], [0, 7, 1]);
    expect(() => idxImageSet(parseIdx(images, 'imgs'), parseIdx(labels, 'labs'), classes)).toThrow(
      'IDX file "labs" has label 7 at index 1, outside 0..2 (3 classes)',
    );
  });

  it('rejects files given the wrong way round', () => {
    const { images, labels } = tinyIdxPair(3, 2, 2, 3);
    expect(() => idxImageSet(parseIdx(labels, 'labs'), parseIdx(images, 'imgs'), classes)).toThrow(/"labs" holds 3 ubyte values; images must be/);
    const floats = parseIdx(idxBytes(0x0d, [3], [0, 1, 2]), 'floats');
    expect(() => idxImageSet(parseIdx(images, 'imgs'), floats, classes)).toThrow(/"floats" holds 3 float32 values; labels must be one whole number/);
  });
});
