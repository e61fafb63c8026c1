import { describe, expect, it } from 'vitest';
import { classesInTurn } from './preview.js';

describe('classesInTurn', () => {
  it('takes the classes in turn, in image order within a class', () => {
    // a folder read class by class: three bags, two sandals, one trouser
    const labels = Int32Array.from([0, 0, 0, 1, 1, 2]);
    expect(classesInTurn(labels, 4)).toEqual([0, 3, 5, 1]);
    expect(classesInTurn(labels, 8)).toEqual([0, 3, 5, 1, 4, 2]);
  });

  it('keeps the classes in label order whatever order the images come in', () => {
    expect(classesInTurn(Int32Array.from([2, 1, 2, 0]), 3)).toEqual([3, 1, 0]);
    expect(classesInTurn(Int32Array.from([]), 8)).toEqual([]);
  });
});
