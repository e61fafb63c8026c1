import { describe, expect, it } from 'vitest';
import { metricsFromLogits } from './evaluate.js';

describe('metricsFromLogits', () => {
  it('computes accuracy, top-k, confusion, per-class precision and recall', () => {
    // 4 samples, 3 classes; predictions: 0 (true 0), 2 (true 1), 1 (true 1), 0 (true 2)
    const logits = new Float32Array([5, 1, 0, 0, 1, 3, 0, 2, 1, 4, 3, 0]);
    const labels = new Int32Array([0, 1, 1, 2]);
    const r = metricsFromLogits(logits, labels, ['a', 'b', 'c']);
    expect(r.accuracy).toBe(0.5);
    expect(r.confusion).toEqual([
      [1, 0, 0],
      [0, 1, 1],
      [1, 0, 0],
    ]);
    expect(r.topK[2]).toBe(0.75); // sample 4: class 2's logit 0 is last of 3
    expect(r.topK[3]).toBe(1);
    expect(r.perClass[0]).toEqual({ className: 'a', precision: 0.5, recall: 1, support: 1 });
    expect(r.perClass[1]).toEqual({ className: 'b', precision: 1, recall: 0.5, support: 2 });
    expect(r.perClass[2]?.recall).toBe(0);
    const ce0 = -(5 - Math.log(Math.exp(5) + Math.exp(1) + Math.exp(0)));
    expect(r.loss).toBeGreaterThan(ce0 / 4);
  });
});
