import { describe, expect, it } from 'vitest';
import { selectPseudoLabels, type PseudoLabelOptions } from './select-pseudo-labels.js';
import { softmaxRows } from './softmax-rows.js';

/** Logits whose softmax puts probability `p` on class `cls` and spreads the rest evenly (3 classes). */
function row(cls: number, p: number): number[] {
  const rest = (1 - p) / 2;
  return [0, 1, 2].map((j) => Math.log(j === cls ? p : rest));
}

// Image: 0     1     2     3     4     5     6     7
// class: 0     0     0     1     1     2     0     1
// conf:  0.99  0.95  0.60  0.97  0.91  0.50  0.92  0.40
const predictions = [
  [0, 0.99],
  [0, 0.95],
  [0, 0.6],
  [1, 0.97],
  [1, 0.91],
  [2, 0.5],
  [0, 0.92],
  [1, 0.4],
] as const;
const logits = Float32Array.from(predictions.flatMap(([c, p]) => row(c, p)));

const base: PseudoLabelOptions = { confidenceThreshold: 0.9, labels: 'hard', temperature: 1, balance: 'none' };

describe('selectPseudoLabels', () => {
  it('keeps the predictions at or above the confidence threshold, with one-hot targets', () => {
    const s = selectPseudoLabels(logits, 3, base);
    expect(Array.from(s.indices)).toEqual([0, 1, 3, 4, 6]);
    expect(Array.from(s.classes)).toEqual([0, 0, 1, 1, 0]);
    expect(Array.from(s.targets.subarray(0, 6))).toEqual([1, 0, 0, 1, 0, 0]);
    expect(Array.from(s.targets.subarray(6, 9))).toEqual([0, 1, 0]);
    expect(s.stats).toMatchObject({ candidates: 8, aboveThreshold: 5, kept: 5, duplicated: 0, perClass: [3, 2, 0], emptyClasses: [2] });
    expect(s.stats.meanConfidence).toBeCloseTo((0.99 + 0.95 + 0.97 + 0.91 + 0.92) / 5, 5);
  });

  it('threshold 0 keeps everything; threshold 1 keeps nothing but certain predictions', () => {
    expect(selectPseudoLabels(logits, 3, { ...base, confidenceThreshold: 0 }).stats.kept).toBe(8);
    expect(selectPseudoLabels(logits, 3, { ...base, confidenceThreshold: 1 }).stats.kept).toBe(0);
  });

  it('soft labels are the softmax at the teacher temperature', () => {
    const s = selectPseudoLabels(logits, 3, { ...base, labels: 'soft', temperature: 2 });
    const expected = softmaxRows(logits, 3, 2);
    expect(Array.from(s.targets.subarray(0, 3))).toEqual(Array.from(expected.subarray(0, 3)));
    expect(Array.from(s.targets.subarray(6, 9))).toEqual(Array.from(expected.subarray(9, 12)));
    // Softer than the prediction itself, still summing to one.
    expect(s.targets[0]).toBeLessThan(0.99);
    expect((s.targets[0] as number) + (s.targets[1] as number) + (s.targets[2] as number)).toBeCloseTo(1, 6);
    // Confidence (for the threshold) is measured at temperature 1.
    expect(Array.from(s.indices)).toEqual([0, 1, 3, 4, 6]);
  });

  it('cap keeps at most perClass images per class, the most confident first', () => {
    const s = selectPseudoLabels(logits, 3, { ...base, balance: 'cap', perClass: 2 });
    expect(Array.from(s.indices)).toEqual([0, 1, 3, 4]);
    expect(s.stats.perClass).toEqual([2, 2, 0]);
    const one = selectPseudoLabels(logits, 3, { ...base, balance: 'cap', perClass: 1 });
    expect(Array.from(one.indices)).toEqual([0, 3]);
  });

  it('cap defaults to an even share of the confident images', () => {
    // 5 confident images over 3 classes: round(5 / 3) = 2 per class.
    const s = selectPseudoLabels(logits, 3, { ...base, balance: 'cap' });
    expect(s.stats.perClassTarget).toBe(2);
    expect(s.stats.perClass).toEqual([2, 2, 0]);
  });

  it('top-k takes exactly K per class, duplicating the most confident where a class has too few', () => {
    const s = selectPseudoLabels(logits, 3, { ...base, balance: 'top-k', perClass: 3 });
    // Class 0 has 3 (0, 1, 6 by confidence: 0.99, 0.95, 0.92); class 1 has 2 (3, 4) -> 3 duplicated; class 2 none.
    expect(Array.from(s.indices)).toEqual([0, 1, 6, 3, 4, 3]);
    expect(s.stats).toMatchObject({ kept: 6, duplicated: 1, perClass: [3, 3, 0], emptyClasses: [2] });
    const four = selectPseudoLabels(logits, 3, { ...base, balance: 'top-k', perClass: 5 });
    expect(Array.from(four.indices)).toEqual([0, 1, 6, 0, 1, 3, 4, 3, 4, 3]);
  });

  it('breaks confidence ties by image index', () => {
    const tied = Float32Array.from([...row(0, 0.9), ...row(0, 0.95), ...row(0, 0.9)]);
    const s = selectPseudoLabels(tied, 3, { ...base, confidenceThreshold: 0.5, balance: 'cap', perClass: 2 });
    expect(Array.from(s.indices)).toEqual([1, 0]);
  });

  it('rejects bad options with the value', () => {
    expect(() => selectPseudoLabels(logits, 3, { ...base, confidenceThreshold: 1.5 })).toThrow(/confidenceThreshold must lie in \[0, 1\], got 1.5/);
    expect(() => selectPseudoLabels(logits, 3, { ...base, temperature: 0 })).toThrow(/temperature must be positive, got 0/);
    expect(() => selectPseudoLabels(logits, 3, { ...base, balance: 'cap', perClass: 0 })).toThrow(/perClass must be a positive integer, got 0/);
    expect(() => selectPseudoLabels(logits.subarray(0, 5), 3, base)).toThrow(/do not split into rows of 3/);
  });
});
