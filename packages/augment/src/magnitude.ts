import type { Rng } from '@frugal/core';

/** timm's `_LEVEL_DENOM`: magnitude levels run from 0 to 10. */
export const LEVEL_DENOMINATOR = 10;

/** `level / 10 · max` with a random sign per sample (timm's `_randomly_negate`). */
export function signedLevels(levels: Float32Array, rng: Rng, max: number): Float32Array {
  const out = new Float32Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const value = ((levels[i] as number) / LEVEL_DENOMINATOR) * max;
    out[i] = rng.bernoulli(0.5) ? -value : value;
  }
  return out;
}

/**
 * Enhance factors (brightness, contrast, colour, sharpness) for levels. timm's default maps
 * level → 0.1 + 1.8 · level / 10 (level 5 ≈ no change); the increasing variant maps level →
 * 1 ± 0.9 · level / 10 (random sign, at least 0.1), so a higher level is always a stronger change.
 */
export function enhanceFactors(levels: Float32Array, rng: Rng, increasing = false): Float32Array {
  const out = new Float32Array(levels.length);
  for (let i = 0; i < levels.length; i++) {
    const level = (levels[i] as number) / LEVEL_DENOMINATOR;
    if (increasing) {
      const delta = level * 0.9;
      out[i] = Math.max(0.1, 1 + (rng.bernoulli(0.5) ? -delta : delta));
    } else {
      out[i] = level * 1.8 + 0.1;
    }
  }
  return out;
}
