import { describe, expect, it } from 'vitest';
import { Rng, stepSeed } from './rng.js';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.next());

describe('Rng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    expect(draw(new Rng(42), 5)).toEqual(draw(new Rng(42), 5));
    expect(draw(new Rng(42), 5)).not.toEqual(draw(new Rng(43), 5));
  });

  it('refuses a seed that is not a finite number, and an empty range', () => {
    for (const seed of [Number.NaN, Number.POSITIVE_INFINITY]) expect(() => new Rng(seed)).toThrow(`Rng: a seed is a finite number or a string, got ${seed}`);
    expect(() => new Rng(1).int(5, 3)).toThrow('Rng.int(5, 3): the range holds no whole number; high must be above low');
  });

  it('keeps named child streams independent of draws elsewhere', () => {
    const a = new Rng(7);
    const b = new Rng(7);
    draw(b.child('augment'), 1000);
    draw(b, 17);
    expect(draw(a.child('shuffle'), 5)).toEqual(draw(b.child('shuffle'), 5));
    expect(draw(a.child('shuffle'), 5)).not.toEqual(draw(a.child('augment'), 5));
  });

  it('restores its state to continue the same sequence', () => {
    const rng = new Rng(3);
    draw(rng, 10);
    const saved = rng.getState();
    const next = draw(rng, 5);
    const other = new Rng(999);
    other.setState(saved);
    expect(draw(other, 5)).toEqual(next);
  });

  it('draws uniform values in range with the right mean, and normals with the right moments', () => {
    const rng = new Rng(1);
    const u = draw(rng, 20000);
    expect(Math.min(...u)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...u)).toBeLessThan(1);
    expect(u.reduce((a, b) => a + b) / u.length).toBeCloseTo(0.5, 1);
    const n = Array.from({ length: 20000 }, () => rng.normal(2, 3));
    const mean = n.reduce((a, b) => a + b) / n.length;
    const sd = Math.sqrt(n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length);
    expect(mean).toBeCloseTo(2, 1);
    expect(sd).toBeCloseTo(3, 1);
  });

  it('permutes without losing or repeating items', () => {
    const p = Array.from(new Rng(5).permutation(100)).sort((a, b) => a - b);
    expect(p).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(Array.from(new Rng(5).permutation(100))).not.toEqual(Array.from(new Rng(6).permutation(100)));
  });

  it('derives per-step seeds statelessly', () => {
    expect(stepSeed(10, 3)).toBe(stepSeed(10, 3));
    expect(stepSeed(10, 3)).not.toBe(stepSeed(10, 4));
    expect(stepSeed(10, 3)).not.toBe(stepSeed(11, 3));
  });
});
