import { describe, expect, it } from 'vitest';
import type { ImageSet } from '../types.js';
import { unevenClassesNote } from './uneven-classes.js';

const set = (labels: number[]): ImageSet => ({ shape: [1, 1, 1], pixels: new Uint8Array(labels.length), labels: Int32Array.from(labels), classNames: ['cat', 'dog', 'fox'] });

describe('unevenClassesNote', () => {
  it('names the largest and the smallest class when one has four times the other', () => {
    expect(unevenClassesNote(set([0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2]))).toBe(
      'Note: the labelled classes are uneven, from 8 images of "cat" to 1 of "fox"; train.balanceClasses: true draws every class equally often',
    );
  });

  it('says nothing of classes within a factor of four, or of one class', () => {
    expect(unevenClassesNote(set([0, 0, 0, 1, 2]))).toBeUndefined();
    expect(unevenClassesNote(set([1, 1, 1, 1, 1]))).toBeUndefined();
    expect(unevenClassesNote(set([-1, -1, 0]))).toBeUndefined();
  });
});
