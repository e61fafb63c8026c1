import type { Rng } from '@frugal/core';

/** A Gamma(shape, 1) draw (Marsaglia & Tsang; shapes below 1 through the U^(1/shape) boost). */
export function drawGamma(rng: Rng, shape: number): number {
  if (shape <= 0) throw new Error(`drawGamma: shape must be > 0, got ${shape}`);
  if (shape < 1) {
    let u = rng.next();
    while (u === 0) u = rng.next();
    return drawGamma(rng, shape + 1) * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x ** 4) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A Beta(a, b) draw, as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
export function drawBeta(rng: Rng, a: number, b: number): number {
  const x = drawGamma(rng, a);
  const y = drawGamma(rng, b);
  return x + y === 0 ? 0.5 : x / (x + y);
}
