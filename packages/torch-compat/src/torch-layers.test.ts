import { describe, expect, it } from 'vitest';
import { torchOutputSize } from './torch-layers.js';

describe('torchOutputSize', () => {
  // [size, kernel, stride, padding, ceilMode] -> PyTorch 1.13's max_pool2d output size.
  it.each([
    [112, 3, 2, 0, true, 56],
    [57, 3, 2, 0, true, 28],
    [14, 2, 2, 0, true, 7],
    [1, 2, 2, 0, true, 1],
    [2, 3, 2, 0, true, 1],
    [5, 3, 2, 1, true, 3],
    [6, 3, 2, 1, true, 4],
    [4, 3, 2, 1, true, 3],
    [8, 3, 2, 1, false, 4],
    [7, 3, 2, 1, false, 4],
    [224, 7, 2, 3, false, 112],
    [28, 7, 2, 3, false, 14],
    [1, 7, 2, 3, false, 1],
  ])('size %i, kernel %i, stride %i, padding %i, ceil %s -> %i', (size, kernel, stride, padding, ceil, out) => {
    expect(torchOutputSize(size, kernel, stride, padding, ceil)).toBe(out);
  });

  it('refuses a window larger than the padded input, as PyTorch does', () => {
    expect(() => torchOutputSize(1, 3, 2, 0, true)).toThrow(/smaller than the window/);
    expect(() => torchOutputSize(2, 7, 2, 1)).toThrow(/use a larger inputShape/);
  });
});
