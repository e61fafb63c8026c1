import { Rng } from '@frugal/core';
import { describe, expect, it } from 'vitest';
import { drawBeta } from './beta.js';

describe('drawBeta', () => {
  it('has the Beta(a, b) mean a / (a + b), for shapes below and above 1', () => {
    for (const [a, b] of [
      [2, 5],
      [0.2, 0.2],
      [1, 1],
    ] as const) {
      const rng = new Rng(`${a}-${b}`);
      let sum = 0;
      const draws = 4000;
      for (let i = 0; i < draws; i++) {
        const v = drawBeta(rng, a, b);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
        sum += v;
      }
      expect(sum / draws).toBeCloseTo(a / (a + b), 1);
    }
  });

  it('small alpha puts most draws near 0 or 1', () => {
    const rng = new Rng(1);
    const draws = Array.from({ length: 1000 }, () => drawBeta(rng, 0.1, 0.1));
    expect(draws.filter((v) => v < 0.1 || v > 0.9).length).toBeGreaterThan(700);
  });
});
